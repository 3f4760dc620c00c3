package tracker.locks.rest;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import tracker.locks.domain.model.Lock;

/**
 * A lock as REST clients see it. {@code createdAt} is UTC in whole seconds with a {@code Z}, exactly the form jq's
 * {@code fromdateiso8601} and {@code todate} use, so the guide's age filters compare correctly; {@code expiresAt}
 * takes the same form, rounded down so that a holder never believes it has longer than it has. Optional fields
 * appear only when set; {@code token} always; {@code owner} (the token's name) only when authentication is on;
 * {@code waiters} (how many clients wait for the key on the instance that answered) in the list.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record LockJson(String id, String service, String who, String createdAt, String environment,
                       String resource, String eventId, String expiresAt, long token, String owner,
                       Integer waiters) {

    public static LockJson of(Lock lock) {
        return of(lock, null);
    }

    /** {@code lock} with how many wait for its key (null: not told). */
    public static LockJson of(Lock lock, Integer waiters) {
        return new LockJson(
                lock.id().toString(),
                lock.service(),
                lock.who(),
                timestamp(lock.createdAt()),
                emptyAsAbsent(lock.key().environment()),
                emptyAsAbsent(lock.key().resource()),
                lock.eventId(),
                lock.expiry().map(LockJson::timestamp).orElse(null),
                lock.token(),
                lock.owner(),
                waiters);
    }

    static String timestamp(Instant instant) {
        return DateTimeFormatter.ISO_INSTANT.format(instant.truncatedTo(ChronoUnit.SECONDS));
    }

    static String emptyAsAbsent(String value) {
        return value.isEmpty() ? null : value;
    }
}
