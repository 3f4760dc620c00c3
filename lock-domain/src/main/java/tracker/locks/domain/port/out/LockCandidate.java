package tracker.locks.domain.port.out;

import java.time.Duration;
import java.util.Objects;
import tracker.locks.domain.model.HolderRule;
import tracker.locks.domain.model.LockId;
import tracker.locks.domain.model.LockKey;

/**
 * What an acquisition asks the store to record. The store stamps creation and expiry with its own clock and draws
 * the token, so that every instance judges leases by the same time and tokens only ever grow.
 *
 * @param ttl                the lease, or null for a lock that lives until released
 * @param owner              the principal taking it, or null without authentication
 * @param rule               how many may hold the key with it, and how
 * @param yieldsToExclusive  whether an exclusive request waits for the key ahead of this one: a shared candidate then
 *                           does not join the shared holders (so writers are not starved), though it may take a
 *                           key nobody holds
 */
public record LockCandidate(LockId id, LockKey key, String who, String eventId, Duration ttl, String owner,
                            HolderRule rule, boolean yieldsToExclusive) {

    /** A candidate without an owner. */
    public LockCandidate(LockId id, LockKey key, String who, String eventId, Duration ttl) {
        this(id, key, who, eventId, ttl, null);
    }

    /** The guide's lock: the key's only holder. */
    public LockCandidate(LockId id, LockKey key, String who, String eventId, Duration ttl, String owner) {
        this(id, key, who, eventId, ttl, owner, HolderRule.SINGLE, false);
    }

    public LockCandidate {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(who, "who");
        Objects.requireNonNull(rule, "rule");
    }
}
