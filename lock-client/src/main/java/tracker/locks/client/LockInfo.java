package tracker.locks.client;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A lock as the server answers it.
 *
 * @param environment null when not set
 * @param resource    null when not set
 * @param expiresAt   null for a lock without a lease
 * @param token       the fencing token: send it with every write to the protected resource
 * @param owner       the token name that took it, when the server has authentication on; else null
 * @param limit       how many may hold the key at once when it is a semaphore's holder; 1 for a plain lock
 * @param mode        {@link LockMode#SHARED} for a shared holder, else {@link LockMode#EXCLUSIVE}
 * @param waiters     how many clients wait for the key; null when the answer does not say (only get and list do)
 */
public record LockInfo(String id, String service, String who, String environment, String resource,
                       Instant createdAt, Instant expiresAt, long token, String owner, int limit, LockMode mode,
                       Integer waiters) {

    /** A lock as it was described before limits, modes and waiters: one exclusive holder, waiters not told. */
    public LockInfo(String id, String service, String who, String environment, String resource, Instant createdAt,
                    Instant expiresAt, long token, String owner) {
        this(id, service, who, environment, resource, createdAt, expiresAt, token, owner, 1, LockMode.EXCLUSIVE,
                null);
    }

    static LockInfo of(Map<?, ?> json) {
        return new LockInfo(text(json, "id"), text(json, "service"), text(json, "who"), text(json, "environment"),
                text(json, "resource"), instant(json, "createdAt"), instant(json, "expiresAt"),
                json.get("token") instanceof BigDecimal token ? token.longValue() : 0, text(json, "owner"),
                json.get("limit") instanceof BigDecimal limit ? limit.intValue() : 1,
                LockMode.fromWire(json.get("mode")),
                json.get("waiters") instanceof BigDecimal waiters ? waiters.intValue() : null);
    }

    /**
     * The lock as the REST API writes it (fields in the API's order; those not set left out, as the API leaves out a
     * limit of 1 and the exclusive mode).
     */
    public String toJson() {
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("id", id);
        fields.put("service", service);
        fields.put("who", who);
        fields.put("createdAt", createdAt);
        fields.put("environment", environment);
        fields.put("resource", resource);
        fields.put("expiresAt", expiresAt);
        fields.put("token", token);
        fields.put("owner", owner);
        fields.put("limit", limit > 1 ? limit : null);
        fields.put("mode", mode == LockMode.SHARED ? mode.wireName() : null);
        fields.put("waiters", waiters);
        return Json.object(fields);
    }

    static String text(Map<?, ?> json, String field) {
        Object value = json.get(field);
        return value == null ? null : value.toString();
    }

    static Instant instant(Map<?, ?> json, String field) {
        String value = text(json, field);
        return value == null ? null : Instant.parse(value);
    }
}
