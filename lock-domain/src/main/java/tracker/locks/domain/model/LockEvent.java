package tracker.locks.domain.model;

import java.time.Instant;
import java.util.Objects;

/**
 * One entry of the lock history: what happened to which acquisition of which key, when. Recorded by the store in
 * the same transaction as the change itself, so the history holds exactly what happened.
 *
 * @param who       the lock's holder, as it named itself
 * @param owner     the token that took the lock (authentication on), else null
 * @param token     the lock's fencing token
 * @param at        when: the acquisition, renewal or release; for an expiry, the end of the lease
 * @param expiresAt the lease's end after the event, null without a lease
 * @param by        who did it when that is not the holder: the admin token of a force-release, else null
 */
public record LockEvent(LockId lockId, LockKey key, String who, String owner, long token, LockAction action,
                        Instant at, Instant expiresAt, String by) {

    public LockEvent {
        Objects.requireNonNull(lockId, "lockId");
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(action, "action");
        Objects.requireNonNull(at, "at");
    }
}
