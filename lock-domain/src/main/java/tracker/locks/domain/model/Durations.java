package tracker.locks.domain.model;

import java.time.Duration;

/**
 * Durations in messages as people write them (500ms, 30s, 10m, 1h30m), and the domain's rule for a duration a client
 * asks for. (The transports parse what clients write.)
 */
public final class Durations {

    private Durations() {
    }

    public static String describe(Duration duration) {
        if (duration.isZero()) {
            return "0ms";
        }
        if (duration.getNano() % 1_000_000 != 0) {
            // Finer than the millisecond the words below show: "at most 24h, got 24h" for 24h and 0.1 ms would
            // contradict itself, and -500 ns would read "-0ms". ISO-8601 shows it exactly (PT24H0.0001S).
            return duration.toString();
        }
        if (duration.isNegative()) {
            // Not toMillis(): a client's -PT2562047788015215H would overflow it (and the message would be a 500).
            return duration.getSeconds() == Long.MIN_VALUE ? duration.toString() : "-" + describe(duration.negated());
        }
        StringBuilder text = new StringBuilder();
        long hours = duration.toHours();
        int minutes = duration.toMinutesPart();
        int seconds = duration.toSecondsPart();
        int millis = duration.toMillisPart();
        if (hours > 0) {
            text.append(hours).append('h');
        }
        if (minutes > 0) {
            text.append(minutes).append('m');
        }
        if (seconds > 0) {
            text.append(seconds).append('s');
        }
        if (millis > 0 || text.length() == 0) {
            text.append(millis).append("ms");
        }
        return text.toString();
    }

    /**
     * Checks a client's duration: absent (null), or at least a millisecond, the finest unit leases are kept in.
     *
     * @throws InvalidLockRequestException naming {@code field}
     */
    public static Duration positive(String field, Duration duration) {
        if (duration == null) {
            return null;
        }
        if (duration.compareTo(Duration.ofMillis(1)) < 0) {
            throw new InvalidLockRequestException(field,
                    field + " must be at least 1ms, got " + describe(duration));
        }
        return duration;
    }
}
