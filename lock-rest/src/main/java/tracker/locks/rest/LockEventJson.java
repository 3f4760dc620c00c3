package tracker.locks.rest;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.swagger.v3.oas.annotations.media.Schema;
import tracker.locks.domain.model.LockEvent;

/**
 * A history event as REST clients see it: times in the form of {@link LockJson} (UTC, whole seconds, jq's
 * {@code fromdateiso8601}); {@code environment}, {@code resource}, {@code owner}, {@code expiresAt} and {@code by}
 * only when set.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record LockEventJson(String lockId, String service, String environment, String resource, String who,
                            String owner, long token,
                            @Schema(allowableValues = {"acquired", "renewed", "released", "force-released",
                                "expired"}) String action,
                            String at, String expiresAt, String by) {

    public static LockEventJson of(LockEvent event) {
        return new LockEventJson(
                event.lockId().toString(),
                event.key().service(),
                LockJson.emptyAsAbsent(event.key().environment()),
                LockJson.emptyAsAbsent(event.key().resource()),
                event.who(),
                event.owner(),
                event.token(),
                event.action().word(),
                LockJson.timestamp(event.at()),
                event.expiresAt() == null ? null : LockJson.timestamp(event.expiresAt()),
                event.by());
    }
}
