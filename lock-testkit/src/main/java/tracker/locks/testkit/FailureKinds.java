package tracker.locks.testkit;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * How often a client got no usable answer, by kind ({@code HTTP 503}, {@code UNAVAILABLE}, {@code
 * HttpTimeoutException}, …): a fault test tells "answered 503 during the switch" from "hung" or "answered 500".
 */
final class FailureKinds {

    private final Map<String, LongAdder> counts = new ConcurrentHashMap<>();

    void record(String kind) {
        counts.computeIfAbsent(kind, k -> new LongAdder()).increment();
    }

    /** A snapshot, sorted by kind. */
    Map<String, Long> snapshot() {
        Map<String, Long> snapshot = new TreeMap<>();
        counts.forEach((kind, count) -> snapshot.put(kind, count.sum()));
        return snapshot;
    }
}
