package tracker.locks.rest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.InputStream;
import java.time.Duration;
import tracker.locks.domain.model.HolderRule;
import tracker.locks.domain.model.LockMode;
import tracker.locks.domain.port.in.AcquireLockCommand;

/** Reads the body of {@code POST /lock} into a command. */
final class CreateLockBody {

    private final JsonBody body;

    CreateLockBody(ObjectMapper mapper) {
        this.body = new JsonBody(mapper);
    }

    AcquireLockCommand read(InputStream input) {
        JsonNode json = body.requiredObject(input);
        AcquireLockCommand command = AcquireLockCommand.of(
                JsonBody.text(json, "service"),
                JsonBody.text(json, "who"),
                JsonBody.text(json, "environment"),
                JsonBody.text(json, "resource"),
                JsonBody.text(json, "eventId"));
        Duration ttl = RequestDurations.field(json, "ttl");
        Duration wait = RequestDurations.field(json, "wait");
        HolderRule rule = HolderRule.of(JsonBody.wholeNumber(json, "limit"), LockMode.parse(JsonBody.text(json, "mode")));
        return command.withTtl(ttl).withWait(wait).withRule(rule);
    }

    /** The {@code ttl} of a renewal body, which may be empty (then null: the server's default lease). */
    Duration renewalTtl(InputStream input) {
        return RequestDurations.field(body.optionalObject(input), "ttl");
    }
}
