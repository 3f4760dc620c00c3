package tracker.locks.domain.service;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.management.ManagementFactory;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import tracker.locks.domain.model.CallerGoneException;
import tracker.locks.domain.model.Lock;
import tracker.locks.domain.model.LockPolicy;
import tracker.locks.domain.model.QueueFilter;
import tracker.locks.domain.port.in.AcquireLockCommand;
import tracker.locks.domain.port.in.Caller;
import tracker.locks.domain.port.out.ReleaseFeed;
import tracker.locks.domain.testing.InMemoryLockRepository;
import tracker.locks.domain.testing.LockServices;

/**
 * Waiting costs no thread: thousands of clients wait at once, started from one thread, while the process's thread
 * count stays where it was (plus the waiting room's few); then each key is released over and over and its waiters
 * are granted one after another, in the order they came.
 */
class WaitingWithoutThreadsTest {

    private static final int KEYS = 20;
    private static final int WAITERS_PER_KEY = 100;
    /** The waiting room's timer and workers, and some slack for the JVM's own. */
    private static final int THREADS_ALLOWED = 20;

    private final LockService service = LockServices.on(new InMemoryLockRepository(Clock.systemUTC()),
            Clock.systemUTC(), LockPolicy.DEFAULTS, ReleaseFeed.NONE);

    private static final Caller PRESENT = () -> false;

    @Test
    void twoThousandWaitersHoldNoThreadAndAreGrantedInArrivalOrderPerKey() throws Exception {
        List<Lock> holders = new ArrayList<>();
        for (int k = 0; k < KEYS; k++) {
            holders.add(service.acquire(AcquireLockCommand.of("svc-" + k, "holder"), Caller.UNOBSERVED));
        }
        int threadsBefore = ManagementFactory.getThreadMXBean().getThreadCount();

        Map<String, List<String>> grantedOrder = new ConcurrentHashMap<>();
        List<CompletableFuture<Lock>> waiting = new ArrayList<>();
        for (int i = 0; i < WAITERS_PER_KEY; i++) {
            for (int k = 0; k < KEYS; k++) {
                String service = "svc-" + k;
                CompletableFuture<Lock> answer = this.service.acquireAsync(AcquireLockCommand.of(service, "w" + i)
                        .withWait(Duration.ofSeconds(60)), PRESENT);
                // Each waiter, once granted, notes its turn and releases: that hands the key to the next in line.
                waiting.add(answer.thenApply(lock -> {
                    grantedOrder.computeIfAbsent(service, s -> new CopyOnWriteArrayList<>()).add(lock.who());
                    this.service.release(lock.id().toString());
                    return lock;
                }));
            }
        }

        assertThat(waiting).noneMatch(CompletableFuture::isDone);
        assertThat(service.waiting()).isEqualTo(KEYS * WAITERS_PER_KEY);
        int threadsWhileWaiting = ManagementFactory.getThreadMXBean().getThreadCount();
        assertThat(threadsWhileWaiting).as("threads with %d clients waiting", KEYS * WAITERS_PER_KEY)
                .isLessThanOrEqualTo(threadsBefore + THREADS_ALLOWED);

        holders.forEach(holder -> service.release(holder.id().toString()));
        CompletableFuture.allOf(waiting.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);

        List<String> arrival = new ArrayList<>();
        for (int i = 0; i < WAITERS_PER_KEY; i++) {
            arrival.add("w" + i);
        }
        assertThat(grantedOrder).hasSize(KEYS);
        grantedOrder.forEach((key, order) -> assertThat(order).as("grants of %s", key).isEqualTo(arrival));
        assertThat(service.waiting()).isZero();
    }

    @Test
    void aWaiterWhoseCallerLeavesIsAnsweredAndLeavesTheLineWithoutBeingWoken() throws Exception {
        Lock holder = service.acquire(AcquireLockCommand.of("leaving", "holder"), Caller.UNOBSERVED);
        AtomicBoolean gone = new AtomicBoolean();
        CompletableFuture<Lock> answer = service.acquireAsync(AcquireLockCommand.of("leaving", "impatient")
                .withWait(Duration.ofSeconds(60)), gone::get);
        assertThat(service.queue(QueueFilter.exactly(holder.key()))).hasSize(1);

        long left = System.nanoTime();
        gone.set(true);
        assertThat(answer).failsWithin(Duration.ofSeconds(5)).withThrowableThat()
                .withCauseInstanceOf(CallerGoneException.class);
        // Noticed by the waiting room's watch over the callers (every 100 ms), not by the 60 s deadline.
        assertThat(Duration.ofNanos(System.nanoTime() - left)).isLessThan(Duration.ofSeconds(2));
        assertThat(service.queue(QueueFilter.exactly(holder.key()))).isEmpty();
        assertThat(service.get(holder.id().toString())).isEqualTo(holder);
    }
}
