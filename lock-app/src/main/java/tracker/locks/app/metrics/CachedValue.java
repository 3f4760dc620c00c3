package tracker.locks.app.metrics;

import java.time.Duration;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * A value read at most once per {@code maxAge}: scrapes come from every Prometheus of every instance, the value is
 * a database query. When the database cannot answer, the last value is kept up to ten times {@code maxAge}, then
 * the series is left out (an absent series, not a stale number, is what alerts can see).
 */
final class CachedValue<T> {

    private final Supplier<T> source;
    private final long maxAgeNanos;
    private long readAt;
    private T value;

    CachedValue(Supplier<T> source, Duration maxAge) {
        this.source = source;
        this.maxAgeNanos = maxAge.toNanos();
    }

    synchronized Optional<T> value() {
        long now = System.nanoTime();
        if (value == null || now - readAt >= maxAgeNanos) {
            try {
                value = source.get();
                readAt = now;
            } catch (RuntimeException e) {
                if (value != null && now - readAt > 10 * maxAgeNanos) {
                    value = null;
                }
            }
        }
        return Optional.ofNullable(value);
    }
}
