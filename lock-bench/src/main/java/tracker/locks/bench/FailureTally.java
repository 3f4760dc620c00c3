package tracker.locks.bench;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.stream.Collectors;

/**
 * The fault soak's failed requests by kind ({@code HTTP 503}, {@code UNAVAILABLE}, {@code ConnectException}, …, as
 * the testkit's clients name them), over all its clients, those closed when their instance was replaced included.
 */
final class FailureTally {

    private final Map<String, LongAdder> counts = new ConcurrentHashMap<>();

    void add(String kind, long count) {
        counts.computeIfAbsent(kind, k -> new LongAdder()).add(count);
    }

    /** A snapshot, sorted by kind. */
    Map<String, Long> snapshot() {
        Map<String, Long> snapshot = new TreeMap<>();
        counts.forEach((kind, count) -> snapshot.put(kind, count.sum()));
        return snapshot;
    }

    /** {@code HTTP 503 12, UNAVAILABLE 30}, or {@code none}. */
    static String describe(Map<String, Long> failures) {
        return failures.isEmpty() ? "none" : failures.entrySet().stream()
                .map(entry -> String.format(java.util.Locale.ROOT, "%s %,d", entry.getKey(), entry.getValue()))
                .collect(Collectors.joining(", "));
    }
}
