package tracker.locks.domain.model;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * A held lock: who took which key when, until when (no {@code expiresAt}: until released), and the fencing token of
 * this acquisition. {@code eventId}, {@code expiresAt} and {@code owner} are absent (null) when not set.
 *
 * @param who   the caller's own words for itself (a pipeline id), as the guide has it
 * @param token strictly greater than the token of every earlier acquisition of the same key, so a resource that
 *              remembers the highest token it has seen can refuse a holder whose lease has passed to someone else
 * @param owner the name of the token that took it, when authentication is on: only it (or an admin) may renew or
 *              release the lock
 * @param rule  how many may hold the key with it, and how ({@link HolderRule#SINGLE}: the guide's lock)
 */
public record Lock(LockId id, LockKey key, String who, Instant createdAt, String eventId, Instant expiresAt,
                   long token, String owner, HolderRule rule) {

    /** A lock taken without authentication: it has no owner. */
    public Lock(LockId id, LockKey key, String who, Instant createdAt, String eventId, Instant expiresAt, long token) {
        this(id, key, who, createdAt, eventId, expiresAt, token, null);
    }

    /** The guide's lock: its key's only holder. */
    public Lock(LockId id, LockKey key, String who, Instant createdAt, String eventId, Instant expiresAt, long token,
                String owner) {
        this(id, key, who, createdAt, eventId, expiresAt, token, owner, HolderRule.SINGLE);
    }

    public Lock {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(who, "who");
        Objects.requireNonNull(createdAt, "createdAt");
        Objects.requireNonNull(rule, "rule");
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
