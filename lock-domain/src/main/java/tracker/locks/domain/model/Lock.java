package tracker.locks.domain.model;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * A held lock: who took which key when, until when (no {@code expiresAt}: until released), and the fencing token of
 * this acquisition. {@code eventId} and {@code expiresAt} are absent (null) when not set.
 *
 * @param token strictly greater than the token of every earlier acquisition of the same key, so a resource that
 *              remembers the highest token it has seen can refuse a holder whose lease has passed to someone else
 */
public record Lock(LockId id, LockKey key, String who, Instant createdAt, String eventId, Instant expiresAt,
                   long token) {

    public Lock {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(who, "who");
        Objects.requireNonNull(createdAt, "createdAt");
    }

    public String service() {
        return key.service();
    }

    public Optional<String> optionalEventId() {
        return Optional.ofNullable(eventId);
    }

    public Optional<Instant> expiry() {
        return Optional.ofNullable(expiresAt);
    }
}
