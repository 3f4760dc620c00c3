package tracker.locks.client;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * What to lock, and how: the key (service, and optionally environment and resource), who asks, the lease, how
 * long to wait for a held key, and how many may hold the key at once.
 * {@code LockRequest.of("deploy", "ci-42").ttl(Duration.ofSeconds(30))}; a semaphore of two:
 * {@code .limit(2)}; a reader among readers: {@code .shared()}.
 *
 * @param ttl     the lease, renewed by {@link HeldLock} while it is held; null: held until released (not renewed)
 * @param maxWait how long the server may wait for a held key; null or zero: do not wait
 * @param limit   how many exclusive holders the key may have at once (a semaphore), 1 by default; every holder of a
 *                key must ask for the same limit. The server checks the range (1..1000)
 * @param mode    {@link LockMode#EXCLUSIVE} by default; {@link LockMode#SHARED} holders hold the key together
 */
public record LockRequest(String service, String who, String environment, String resource, String eventId,
                          Duration ttl, Duration maxWait, int limit, LockMode mode) {

    public LockRequest {
        Objects.requireNonNull(service, "service");
        Objects.requireNonNull(who, "who");
        Objects.requireNonNull(mode, "mode");
    }

    /** The request as it was before limits and modes: one exclusive holder. */
    public LockRequest(String service, String who, String environment, String resource, String eventId,
                       Duration ttl, Duration maxWait) {
        this(service, who, environment, resource, eventId, ttl, maxWait, 1, LockMode.EXCLUSIVE);
    }

    public static LockRequest of(String service, String who) {
        return new LockRequest(service, who, null, null, null, null, null);
    }

    public LockRequest environment(String newEnvironment) {
        return new LockRequest(service, who, newEnvironment, resource, eventId, ttl, maxWait, limit, mode);
    }

    public LockRequest resource(String newResource) {
        return new LockRequest(service, who, environment, newResource, eventId, ttl, maxWait, limit, mode);
    }

    public LockRequest eventId(String newEventId) {
        return new LockRequest(service, who, environment, resource, newEventId, ttl, maxWait, limit, mode);
    }

    public LockRequest ttl(Duration newTtl) {
        return new LockRequest(service, who, environment, resource, eventId, newTtl, maxWait, limit, mode);
    }

    public LockRequest waitingUpTo(Duration newWait) {
        return new LockRequest(service, who, environment, resource, eventId, ttl, newWait, limit, mode);
    }

    /** At most {@code newLimit} holders of the key at once, each a lock of its own (a semaphore). */
    public LockRequest limit(int newLimit) {
        return new LockRequest(service, who, environment, resource, eventId, ttl, maxWait, newLimit, mode);
    }

    public LockRequest mode(LockMode newMode) {
        return new LockRequest(service, who, environment, resource, eventId, ttl, maxWait, limit, newMode);
    }

    /** A shared holder: together with any other shared holders, never with an exclusive one. */
    public LockRequest shared() {
        return mode(LockMode.SHARED);
    }

    /**
     * The request body of {@code POST /api/v1alpha1/lock}. {@code limit} and {@code mode} only when not the default,
     * so that a plain request is byte for byte what it was (and what a server without semaphores accepts).
     */
    String json() {
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("service", service);
        fields.put("who", who);
        fields.put("environment", environment);
        fields.put("resource", resource);
        fields.put("eventId", eventId);
        fields.put("ttl", ttl == null ? null : ttl.toMillis() + "ms");
        fields.put("wait", maxWait == null ? null : maxWait.toMillis() + "ms");
        fields.put("limit", limit == 1 ? null : limit);
        fields.put("mode", mode == LockMode.EXCLUSIVE ? null : mode.wireName());
        return Json.object(fields);
    }
}
