package tracker.locks.domain;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/** A held lock: who took which key when. {@code eventId} is informational and absent (null) when not given. */
public record Lock(LockId id, LockKey key, String who, Instant createdAt, String eventId) {

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
}
