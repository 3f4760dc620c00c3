package tracker.locks.app;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;

/**
 * What concurrent clients saw, and a sound check of it: an acquisition of a key that was both sent after another
 * client's acquisition of that key was acknowledged and itself acknowledged before that client sent its release
 * happened entirely inside an acknowledged holding — two holders at once. Only such certain overlaps count, so
 * network delays can never raise a false alarm. Times are {@link System#nanoTime()} of one JVM.
 */
final class LockHistory {

    private final Map<String, Holding> holdings = new ConcurrentHashMap<>();

    void acquired(String key, String lockId, String client, long sentNanos, long ackNanos) {
        holdings.put(lockId, new Holding(key, lockId, client, sentNanos, ackNanos, Long.MAX_VALUE));
    }

    /** The holder started to release; from here on it no longer claims the key. Only the first call counts. */
    void releaseSent(String lockId, long sentNanos) {
        holdings.computeIfPresent(lockId, (id, h) -> h.releaseSent() == Long.MAX_VALUE ? h.releasedAt(sentNanos) : h);
    }

    int acquisitions() {
        return holdings.size();
    }

    List<String> violations() {
        return violations(1);
    }

    /**
     * The acquisitions granted while {@code limit} others certainly held the key — each of those acknowledged
     * before it was sent, and not released before it was acknowledged: more than {@code limit} holders at once.
     */
    List<String> violations(int limit) {
        List<String> violations = new ArrayList<>();
        Map<String, List<Holding>> byKey = holdings.values().stream().collect(Collectors.groupingBy(Holding::key));
        for (Collection<Holding> sameKey : byKey.values()) {
            for (Holding other : sameKey) {
                List<Holding> holding = sameKey.stream()
                        .filter(held -> held != other && other.sent() > held.ack() && other.ack() < held.releaseSent())
                        .toList();
                if (holding.size() >= limit) {
                    violations.add(other + " was granted while " + holding + " held the key");
                }
            }
        }
        return violations;
    }

    /** One acknowledged acquisition: sent, acknowledged, release sent (MAX_VALUE while still held). */
    record Holding(String key, String lockId, String client, long sent, long ack, long releaseSent) {
        Holding releasedAt(long nanos) {
            return new Holding(key, lockId, client, sent, ack, nanos);
        }
    }
}
