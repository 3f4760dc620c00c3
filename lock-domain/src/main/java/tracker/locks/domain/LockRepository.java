package tracker.locks.domain;

import java.util.Optional;

/**
 * Port out: where locks are kept. Mutual exclusion is the store's job: {@link #insertIfKeyFree} must be a single
 * atomic step (a unique constraint on the key), never a read followed by a write.
 */
public interface LockRepository {

    /** Stores {@code candidate} unless its key is already locked; see {@link InsertOutcome} for the answers. */
    InsertOutcome insertIfKeyFree(Lock candidate);

    Optional<Lock> findById(LockId id);

    /** @return whether a lock was held under that id (and is now gone) */
    boolean deleteById(LockId id);

    /** A page of held locks ordered by creation time, then id; total counts every held lock. */
    LockPage page(PageRequest request);
}
