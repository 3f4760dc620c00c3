package tracker.locks.client;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * What to lock, and how: the key (service, and optionally environment and resource), who asks, the lease and how
 * long to wait for a held key. {@code LockRequest.of("deploy", "ci-42").ttl(Duration.ofSeconds(30))}.
 *
 * @param ttl  the lease, renewed by {@link HeldLock} while it is held; null: held until released (not renewed)
 * @param maxWait how long the server may wait for a held key; null or zero: do not wait
 */
public record LockRequest(String service, String who, String environment, String resource, String eventId,
                          Duration ttl, Duration maxWait) {

    public LockRequest {
        Objects.requireNonNull(service, "service");
        Objects.requireNonNull(who, "who");
    }

    public static LockRequest of(String service, String who) {
        return new LockRequest(service, who, null, null, null, null, null);
    }

    public LockRequest environment(String newEnvironment) {
        return new LockRequest(service, who, newEnvironment, resource, eventId, ttl, maxWait);
    }

    public LockRequest resource(String newResource) {
        return new LockRequest(service, who, environment, newResource, eventId, ttl, maxWait);
    }

    public LockRequest eventId(String newEventId) {
        return new LockRequest(service, who, environment, resource, newEventId, ttl, maxWait);
    }

    public LockRequest ttl(Duration newTtl) {
        return new LockRequest(service, who, environment, resource, eventId, newTtl, maxWait);
    }

    public LockRequest waitingUpTo(Duration newWait) {
        return new LockRequest(service, who, environment, resource, eventId, ttl, newWait);
    }

    /** The request body of {@code POST /api/v1alpha1/lock}. */
    String json() {
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("service", service);
        fields.put("who", who);
        fields.put("environment", environment);
        fields.put("resource", resource);
        fields.put("eventId", eventId);
        fields.put("ttl", ttl == null ? null : ttl.toMillis() + "ms");
        fields.put("wait", maxWait == null ? null : maxWait.toMillis() + "ms");
        return Json.object(fields);
    }
}
