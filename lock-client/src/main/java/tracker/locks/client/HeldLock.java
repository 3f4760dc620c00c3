package tracker.locks.client;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

/**
 * A lock this client holds. With a ttl it renews its lease in the background, every third of the ttl; it is
 * <em>lost</em> when a renewal is answered "not found" (someone released it, or the lease ran out) or when the lease
 * passes without a successful renewal (a server unreachable for that long) — then {@link #isHeld()} turns false and
 * {@link #lost()} completes with the reason. Stop touching the protected resource at once when it does; the fencing
 * {@link #token()} guards what happens meanwhile. {@link #close()} stops the renewals and releases.
 */
public final class HeldLock implements AutoCloseable {

    /** The shortest time between renewals, however short the ttl. */
    private static final long MIN_INTERVAL_NANOS = TimeUnit.MILLISECONDS.toNanos(50);

    private final LockClient client;
    private final LockInfo lock;
    private final Duration ttl;
    private final ScheduledExecutorService renewals;
    private final CompletableFuture<String> lost = new CompletableFuture<>();
    private final AtomicBoolean closed = new AtomicBoolean();
    /** When the lease ends as this client must assume it (System.nanoTime), measured from before each request. */
    private volatile long leaseEndsNanos;
    private volatile Instant expiresAt;

    HeldLock(LockClient client, LockInfo lock, Duration ttl, long requestedAtNanos, ScheduledExecutorService renewals) {
        this.client = client;
        this.lock = lock;
        this.ttl = ttl;
        this.renewals = renewals;
        this.expiresAt = lock.expiresAt();
        if (ttl != null) {
            leaseEndsNanos = requestedAtNanos + ttl.toNanos();
            schedule(interval());
        }
    }

    public String id() {
        return lock.id();
    }

    /** The fencing token: send it with every write to the protected resource. */
    public long token() {
        return lock.token();
    }

    /** The lock as the server answered it when it was taken. */
    public LockInfo info() {
        return lock;
    }

    /** When the lease ends after the last successful renewal (whole seconds, as the server says); null: no lease. */
    public Instant expiresAt() {
        return expiresAt;
    }

    /** Whether the lock is still this client's: not closed, not lost, and its lease not passed. */
    public boolean isHeld() {
        return !closed.get() && !lost.isDone() && (ttl == null || System.nanoTime() - leaseEndsNanos < 0);
    }

    /** Completes with the reason when the lock is lost; never when it is released by {@link #close()}. */
    public CompletableFuture<String> lost() {
        return lost;
    }

    /** Runs {@code reaction} with the reason when the lock is lost (on the renewal thread: keep it short). */
    public HeldLock onLost(Consumer<String> reaction) {
        lost.thenAccept(reaction);
        return this;
    }

    /**
     * Stops renewing and releases the lock (once; later calls do nothing).
     *
     * @throws LockServerException when the release did not reach the server: the lock then ends with its lease
     */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        if (!lost.isDone()) {
            client.release(lock.id());
        }
    }

    private long interval() {
        return Math.max(MIN_INTERVAL_NANOS, ttl.toNanos() / 3);
    }

    private void schedule(long delayNanos) {
        if (!closed.get() && !lost.isDone()) {
            try {
                renewals.schedule(this::renew, delayNanos, TimeUnit.NANOSECONDS);
            } catch (java.util.concurrent.RejectedExecutionException clientClosed) {
                lose("the client was closed, so the lease is no longer renewed");
            }
        }
    }

    private void renew() {
        if (closed.get() || lost.isDone()) {
            return;
        }
        long sent = System.nanoTime();
        if (sent - leaseEndsNanos >= 0) {
            lose("the lease of " + ttl.toMillis() + "ms passed without a successful renewal");
            return;
        }
        try {
            var renewed = client.renew(lock.id(), ttl);
            if (renewed.isEmpty()) {
                lose("the server no longer holds it (released by someone else, or its lease ran out)");
                return;
            }
            leaseEndsNanos = sent + ttl.toNanos();
            expiresAt = renewed.get().expiresAt();
            schedule(interval());
        } catch (LockClientException failed) {
            // Unreachable, failing or refusing for now: try again, but never past the lease.
            long left = leaseEndsNanos - System.nanoTime();
            schedule(Math.max(0, Math.min(interval(), left)));
        }
    }

    private void lose(String reason) {
        // A renewal can be under way while close() releases: its "not found" then answers the release, no loss.
        // The answer comes after the release, which comes after closed is set, so this check sees it.
        if (!closed.get()) {
            lost.complete(reason);
        }
    }
}
