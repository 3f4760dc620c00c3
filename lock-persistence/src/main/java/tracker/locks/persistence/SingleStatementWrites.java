package tracker.locks.persistence;

import java.util.Optional;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.JdbiException;
import tracker.locks.domain.model.Lock;
import tracker.locks.domain.model.LockId;
import tracker.locks.domain.model.LockKey;
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

    SingleStatementWrites(Jdbi jdbi, LockStatements sql, Durability durability) {
        this.jdbi = jdbi;
        this.sql = sql;
        this.durability = durability;
    }

    @Override
    public AcquireOutcome acquire(LockCandidate candidate) {
        LockKey key = candidate.key();
        return jdbi.withHandle(handle -> {
            Optional<AcquireOutcome.Acquired> taken;
            try {
                taken = sql.atomically(handle, h -> h.createQuery(sql.acquire())
                        .bind("id", candidate.id().value())
                        .bind("service", key.service())
                        .bind("environment", key.environment())
                        .bind("resource", key.resource())
                        .bind("who", candidate.who())
                        .bind("eventId", candidate.eventId())
                        .bind("owner", candidate.owner())
                        .bind("micros", LockDurations.microsOrNull(candidate.ttl()))
                        .map(LockRowMapper.TAKEN)
                        .findOne());
            } catch (JdbiException e) {
                // H2 can lose a race between two first inserts of a key to the unique key: the key is now taken.
                if (!SqlFailures.isUniqueViolation(e)) {
                    throw e;
                }
                taken = Optional.empty();
            }
            if (taken.isPresent()) {
                durability.awaitDurable(handle);
                return taken.get();
            }
            return handle.createQuery(LockStatements.FIND_HELD_BY_KEY)
                    .bind("service", key.service())
                    .bind("environment", key.environment())
                    .bind("resource", key.resource())
                    .map(LockRowMapper.ROWS)
                    .findOne()
                    .<AcquireOutcome>map(AcquireOutcome.KeyHeld::new)
                    .orElseGet(AcquireOutcome.HolderVanished::new);
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
