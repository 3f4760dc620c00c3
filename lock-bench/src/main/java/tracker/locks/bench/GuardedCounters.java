package tracker.locks.bench;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.LongAdder;

/**
 * A counter per key that only the key's holder touches, on purpose with no synchronisation of its own: the holder
 * reads it, pauses about a millisecond, and writes back what it read plus one. Two holders at once would lose an
 * update, so the counters' total would fall short of the acknowledged acquisitions — a check that needs no
 * timestamps at all, beside the {@link HoldingChecker}.
 */
final class GuardedCounters {

    /** Long enough that two holders at once would overlap inside it, short enough to keep the keys moving. */
    static final Duration HOLD = Duration.ofMillis(1);

    /** Read and written with get and set only: visible to the next holder, but no atomic increment. */
    private final AtomicLongArray values;
    private final LongAdder touches = new LongAdder();

    GuardedCounters(int keys) {
        this.values = new AtomicLongArray(keys);
    }

    /** The guarded work of a holder of {@code key}: read, pause, write plus one. */
    void touch(int key) {
        long seen = values.get(key);
        SoakClock.pause(HOLD);
        values.set(key, seen + 1);
        touches.increment();
    }

    long total() {
        long total = 0;
        for (int key = 0; key < values.length(); key++) {
            total += values.get(key);
        }
        return total;
    }

    /**
     * Updates certainly lost so far, while holders are at work: the touches finished before the counters are read
     * that the counters do not show. Each touch writes before it is counted, and without two holders at once a key's
     * counter only grows, so this is 0 unless updates were lost (and may miss some, which the end's exact comparison
     * of {@link #total} with the acknowledged acquisitions does not).
     */
    long certainlyLost() {
        long finished = touches.sum();
        return Math.max(0, finished - total());
    }
}
