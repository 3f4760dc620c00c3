package tracker.locks.client;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A client waiting in line for a key, as {@link LockClient#queue} lists it.
 *
 * @param environment null when the key has none
 * @param resource    null when the key has none
 * @param owner       the token name it waits for, when the server has authentication on; else null
 * @param limit       the limit it asks for (1 for a plain lock and for a shared request)
 * @param since       when it started waiting (whole seconds)
 * @param position    its place in its key's line: 1 is served next
 */
public record WaitingClient(String service, String environment, String resource, String who, String owner,
                            LockMode mode, int limit, Instant since, int position) {

    static WaitingClient of(Map<?, ?> json) {
        return new WaitingClient(LockInfo.text(json, "service"), LockInfo.text(json, "environment"),
                LockInfo.text(json, "resource"), LockInfo.text(json, "who"), LockInfo.text(json, "owner"),
                LockMode.fromWire(json.get("mode")),
                json.get("limit") instanceof BigDecimal limit ? limit.intValue() : 1,
                LockInfo.instant(json, "since"),
                json.get("position") instanceof BigDecimal position ? position.intValue() : 0);
    }

    /** The waiting client as the REST API writes it (fields in the API's order; those not set left out). */
    public String toJson() {
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("service", service);
        fields.put("environment", environment);
        fields.put("resource", resource);
        fields.put("who", who);
        fields.put("owner", owner);
        fields.put("mode", mode.wireName());
        fields.put("limit", mode == LockMode.EXCLUSIVE ? limit : null);
        fields.put("since", since);
        fields.put("position", position);
        return Json.object(fields);
    }
}
