package tracker.locks.bench;

import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.locks.LockSupport;

/**
 * The fault soak's time line: every line it prints starts with the time since the load began ({@code [02:40]}), so
 * faults, progress and failures can be lined up. Times are {@link System#nanoTime()} of this JVM.
 */
record SoakClock(long startNanos) {

    static SoakClock startingNow() {
        return new SoakClock(System.nanoTime());
    }

    /** {@code [mm:ss]} of now. */
    String stamp() {
        return stamp(System.nanoTime());
    }

    /** {@code [mm:ss]} of {@code nanos}, a {@link System#nanoTime()} of this run. */
    String stamp(long nanos) {
        long seconds = Math.max(0, (nanos - startNanos) / 1_000_000_000L);
        return String.format(Locale.ROOT, "[%02d:%02d]", seconds / 60, seconds % 60);
    }

    /** Seconds from {@code from} to {@code to}, both {@link System#nanoTime()}. */
    static double seconds(long from, long to) {
        return (to - from) / 1e9;
    }

    /**
     * Sleeps about {@code duration}, or less when the thread is interrupted (its flag stays set). The soak's clients
     * pause between retries and inside the guarded counter; none of them has anything to do about an interruption
     * but stop, which their loops do when told.
     */
    static void pause(Duration duration) {
        long end = System.nanoTime() + duration.toNanos();
        long left;
        while ((left = end - System.nanoTime()) > 0 && !Thread.currentThread().isInterrupted()) {
            LockSupport.parkNanos(left);
        }
    }

    /** Sleeps until {@code nanos}, a {@link System#nanoTime()}. */
    static void sleepUntil(long nanos) throws InterruptedException {
        long left;
        while ((left = nanos - System.nanoTime()) > 0) {
            Thread.sleep(Math.max(1, left / 1_000_000));
        }
    }
}
