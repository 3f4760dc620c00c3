package tracker.locks.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * The fault soak's history check, done as the load runs: an acquisition of a key that was sent after another
 * acquisition of that key was acknowledged, and was itself acknowledged before that other holder sent its release,
 * was granted while the other certainly held the key — two holders at once. Only such certain overlaps count: a
 * grant happens between its request's send and its acknowledgement, and a release after it was sent, so network
 * delay can never raise a false alarm (the times are taken on the safe side of each event: a send before the request
 * leaves, an acknowledgement after the answer came, a release before it leaves).
 *
 * <p>Memory stays flat however long the soak runs: each key keeps only the holdings whose release has not been sent.
 * The acknowledgement and release times are taken under the key's monitor, so the checker sees them in the order of
 * their times: a holding whose release was recorded has a release time before every acknowledgement recorded after
 * it, so it can overlap none of them and may be forgotten at once. (With times taken outside the monitor, released
 * holdings would have to be kept for longer than a request can take, its 10 s timeout.)
 */
final class HoldingChecker {

    /** Violations described in full; the rest are counted. */
    private static final int DESCRIBED = 5;

    /**
     * One acknowledged acquisition.
     *
     * @param via  the instance and transport it was granted through, for the report of a violation
     * @param sent {@link System#nanoTime()} before the request was sent
     * @param ack  {@link System#nanoTime()} after the answer came, under the key's monitor
     */
    record Holding(int key, String lockId, String who, String via, long sent, long ack) {
    }

    private final List<KeyHoldings> keys = new ArrayList<>();
    private final SoakClock clock;
    private final LongAdder acknowledged = new LongAdder();
    private final AtomicLong violations = new AtomicLong();
    private final Queue<String> described = new ConcurrentLinkedQueue<>();

    HoldingChecker(int keyCount, SoakClock clock) {
        this.clock = clock;
        for (int key = 0; key < keyCount; key++) {
            keys.add(new KeyHoldings());
        }
    }

    /**
     * Records an acknowledged acquisition of {@code key}, acknowledged now, and checks it against the key's current
     * holders.
     *
     * @param sentNanos {@link System#nanoTime()} taken before the request was sent
     */
    Holding acquired(int key, String lockId, String who, String via, long sentNanos) {
        return keys.get(key).acquired(key, lockId, who, via, sentNanos);
    }

    /** The holder is about to send its release: from now on it no longer claims the key. */
    void releasing(Holding holding) {
        keys.get(holding.key()).releasing(holding);
    }

    long acknowledged() {
        return acknowledged.sum();
    }

    long violations() {
        return violations.get();
    }

    /** The first few violations, described. */
    List<String> described() {
        return List.copyOf(described);
    }

    private void violation(Holding granted, Holding holder) {
        if (violations.incrementAndGet() <= DESCRIBED) {
            described.add(String.format(Locale.ROOT, "key %d: %s (%s via %s) sent at %.3f s, acknowledged at %.3f s;"
                            + " %s (%s via %s), acknowledged at %.3f s, had not sent its release", granted.key(),
                    granted.who(), granted.lockId(), granted.via(), since(granted.sent()), since(granted.ack()),
                    holder.who(), holder.lockId(), holder.via(), since(holder.ack())));
        }
    }

    /** Seconds since the load began. */
    private double since(long nanos) {
        return SoakClock.seconds(clock.startNanos(), nanos);
    }

    /** One key's holdings whose release has not been sent yet: as many as there are clients, at most. */
    private final class KeyHoldings {

        private final List<Holding> held = new ArrayList<>();

        synchronized Holding acquired(int key, String lockId, String who, String via, long sentNanos) {
            Holding holding = new Holding(key, lockId, who, via, sentNanos, System.nanoTime());
            for (Holding other : held) {
                if (other.ack() < holding.sent()) {
                    violation(holding, other);
                }
            }
            held.add(holding);
            acknowledged.increment();
            return holding;
        }

        synchronized void releasing(Holding holding) {
            held.remove(holding);
        }
    }
}
