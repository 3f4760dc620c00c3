package tracker.locks.persistence;

import java.util.Optional;
import tracker.locks.domain.model.Lock;
import tracker.locks.domain.model.LockId;
import tracker.locks.domain.port.out.AcquireOutcome;
import tracker.locks.domain.port.out.LockCandidate;

/**
 * The hot path of the lock store, the writes every lock goes through: one statement per request
 * ({@link SingleStatementWrites}), or many requests per statement under load ({@link PostgresBatchWrites}).
 * Same contract as the {@link tracker.locks.domain.port.out.LockRepository} methods of the same names.
 */
interface LockWrites {

    AcquireOutcome acquire(LockCandidate candidate);

    Optional<Lock> release(LockId id);
}
