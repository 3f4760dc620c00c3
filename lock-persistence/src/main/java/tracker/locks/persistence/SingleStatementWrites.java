package tracker.locks.persistence;

import java.util.Optional;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.JdbiException;
import tracker.locks.domain.model.Lock;
import tracker.locks.domain.model.LockId;
import tracker.locks.domain.port.out.AcquireOutcome;
import tracker.locks.domain.port.out.LockCandidate;

/**
 * Each acquisition and release as a statement of its own, through Jdbi's fluent API with the dialect's SQL. H2 runs
 * in the server's process, where a statement costs no round trip, so there is nothing to gain by combining them; what
 * H2 does share among concurrent writes is the flush to disk each of them waits for ({@link Durability}).
 */
final class SingleStatementWrites implements LockWrites {

    private final Jdbi jdbi;
    private final LockStatements sql;
    private final Durability durability;
    private final KeyAdmission admission;

    SingleStatementWrites(Jdbi jdbi, LockStatements sql, Durability durability) {
        this.jdbi = jdbi;
        this.sql = sql;
        this.durability = durability;
        this.admission = new KeyAdmission(sql);
    }

    @Override
    public AcquireOutcome acquire(LockCandidate candidate) {
        return jdbi.withHandle(handle -> {
            Optional<AcquireOutcome.Acquired> taken;
            try {
                taken = sql.atomically(handle, h -> KeyAdmission.bindCandidate(h.createQuery(sql.acquire()), candidate)
                        .map(LockRowMapper.TAKEN)
                        .findOne());
            } catch (JdbiException e) {
                // H2 can lose a race between two first inserts of a key to the unique key: the key is now taken.
                if (!SqlFailures.isUniqueViolation(e)) {
                    throw e;
                }
                taken = Optional.empty();
            }
            AcquireOutcome outcome = taken.isPresent() ? taken.get()
                    : admission.afterFirstPlaceRefused(handle, candidate);
            if (outcome instanceof AcquireOutcome.Acquired) {
                durability.awaitDurable(handle);
            }
            return outcome;
        });
    }

    @Override
    public Optional<Lock> release(LockId id) {
        return jdbi.withHandle(handle -> {
            Optional<Lock> released = sql.atomically(handle, h -> h.createQuery(sql.release())
                    .bind("id", id.value()).map(LockRowMapper.ROWS).findOne());
            if (released.isPresent()) {
                durability.awaitDurable(handle);
            }
            return released;
        });
    }
}
