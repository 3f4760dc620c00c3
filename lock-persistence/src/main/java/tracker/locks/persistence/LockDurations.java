package tracker.locks.persistence;

import java.time.Duration;
import java.time.temporal.ChronoUnit;

/** Durations as the SQL takes them: whole microseconds, the databases' timestamp precision. */
final class LockDurations {

    private LockDurations() {
    }

    static long micros(Duration duration) {
        return duration.truncatedTo(ChronoUnit.MICROS).toNanos() / 1_000;
    }

    /** {@link #micros(Duration)}, or null (no lease) for null. */
    static Long microsOrNull(Duration duration) {
        return duration == null ? null : micros(duration);
    }
}
