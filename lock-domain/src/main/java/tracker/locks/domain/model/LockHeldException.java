package tracker.locks.domain.model;

import java.util.Comparator;
import java.util.List;
import java.util.Objects;

/**
 * The key is held, so this request may not hold it too; carries the holders so the caller can tell who to wait for.
 * A key held by several (a semaphore, shared holders) names all of them; {@link #holder()} is the oldest.
 */
public final class LockHeldException extends LockServiceException {

    private final transient List<Lock> holders;
    private final Reason reason;

    /** Why the request may not join the holders. */
    public enum Reason {
        /** No room left: held exclusively, by the other mode, or by as many as the limit allows. */
        HELD("lock already exists"),
        /** The holders were taken with another limit: holders of a key agree on its limit. */
        OTHER_LIMIT("lock already exists with another limit: every holder of a key must ask for the same limit"),
        /** Shared holders hold it and an exclusive request waits for it: new shared holders wait behind that one. */
        EXCLUSIVE_WAITING("lock already exists, and an exclusive request waits for it: new shared holders wait"
                + " behind that request");

        private final String message;

        Reason(String message) {
            this.message = message;
        }
    }

    public LockHeldException(Lock holder) {
        this(List.of(holder), Reason.HELD);
    }

    /** @param holders the key's holders, at least one */
    public LockHeldException(List<Lock> holders, Reason reason) {
        super(Objects.requireNonNull(reason, "reason").message);
        if (holders.isEmpty()) {
            throw new IllegalArgumentException("a held key has a holder");
        }
        this.holders = holders.stream().sorted(Comparator.comparingLong(Lock::token)).toList();
        this.reason = reason;
    }

    /** The oldest holder: the one the guide's scripts read as {@code existingLock}. */
    public Lock holder() {
        return holders.get(0);
    }

    /** Every holder, oldest (smallest token) first. */
    public List<Lock> holders() {
        return holders;
    }

    public Reason reason() {
        return reason;
    }
}
