package tracker.locks.rest;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import tracker.locks.domain.model.Lock;
import tracker.locks.domain.model.LockMode;

/**
 * A lock as REST clients see it. {@code createdAt} is UTC in whole seconds with a {@code Z}, exactly the form jq's
 * {@code fromdateiso8601} and {@code todate} use, so the guide's age filters compare correctly; {@code expiresAt}
 * takes the same form, rounded down so that a holder never believes it has longer than it has. Optional fields
 * appear only when set; {@code token} always; {@code owner} (the token's name) only when authentication is on;
 * {@code waiters} (how many clients wait for the key) in get and list; {@code limit} only for a semaphore's holder
 * (a limit above 1) and {@code mode} only for a shared holder, so the guide's lock looks exactly as it always did.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record LockJson(String id, String service, String who, String createdAt, String environment,
                       String resource, String eventId, String expiresAt, long token, String owner,
                       Integer limit, String mode, Integer waiters)implements JsonAnswer {

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
                lock.rule().limit() > 1 ? lock.rule().limit() : null,
                lock.rule().mode() == LockMode.SHARED ? lock.rule().mode().wireName() : null,
                waiters);
    }

    static String timestamp(Instant instant) {
        return DateTimeFormatter.ISO_INSTANT.format(instant.truncatedTo(ChronoUnit.SECONDS));
    }

    static String emptyAsAbsent(String value) {
        return value.isEmpty() ? null : value;
    }
}
