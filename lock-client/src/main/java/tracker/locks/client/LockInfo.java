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
 */
public record LockInfo(String id, String service, String who, String environment, String resource,
                       Instant createdAt, Instant expiresAt, long token, String owner) {

    static LockInfo of(Map<?, ?> json) {
        return new LockInfo(text(json, "id"), text(json, "service"), text(json, "who"), text(json, "environment"),
                text(json, "resource"), instant(json, "createdAt"), instant(json, "expiresAt"),
                json.get("token") instanceof BigDecimal token ? token.longValue() : 0, text(json, "owner"));
    }

    /** The lock as the REST API writes it (fields in the API's order; those not set left out). */
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
        return Json.object(fields);
    }

    private static String text(Map<?, ?> json, String field) {
        Object value = json.get(field);
        return value == null ? null : value.toString();
    }

    private static Instant instant(Map<?, ?> json, String field) {
        String value = text(json, field);
        return value == null ? null : Instant.parse(value);
    }
}
