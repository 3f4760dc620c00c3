package tracker.locks.persistence;

import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.Optional;
import java.util.function.Supplier;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.JdbiException;
import org.jdbi.v3.sqlobject.SqlObjectPlugin;
import tracker.locks.domain.AcquireOutcome;
import tracker.locks.domain.Lock;
import tracker.locks.domain.LockCandidate;
import tracker.locks.domain.LockId;
import tracker.locks.domain.LockKey;
import tracker.locks.domain.LockPage;
import tracker.locks.domain.LockRepository;
import tracker.locks.domain.LockStoreUnavailableException;
import tracker.locks.domain.PageRequest;

/**
 * The {@link LockRepository} on a relational database through JDBI: H2 or PostgreSQL, each with its own SQL for the
 * writes. Mutual exclusion is the unique key on (service, environment, resource): a key has one row, and taking it
 * is one statement that inserts the row or takes over a row whose lock has ended.
 *
 * <p>Why ended locks keep their row for a while: the token of a takeover is drawn after the row is locked, so it is
 * greater than the previous holder's. Were the row deleted on release, a slow insert that drew its token before the
 * previous holder drew its own could still succeed afterwards, with the smaller token. The reaper deletes rows only
 * long after they ended — longer than any statement may run — which closes that window too.
 */
public final class JdbiLockRepository implements LockRepository {

    private static final LockRowMapper ROWS = new LockRowMapper();

    private final Jdbi jdbi;
    private final SqlDialect dialect;
    private final DialectLockDao dao;

    private JdbiLockRepository(Jdbi jdbi, SqlDialect dialect) {
        this.jdbi = jdbi;
        this.dialect = dialect;
        this.dao = jdbi.onDemand(dialect.daoType());
    }

    /** The repository on {@code jdbi}, speaking {@code dialect}. */
    public static JdbiLockRepository on(Jdbi jdbi, SqlDialect dialect) {
        jdbi.installPlugin(new SqlObjectPlugin());
        return new JdbiLockRepository(jdbi, dialect);
    }

    /*
     * The hot path — acquire, release, look up — goes through Jdbi's fluent API with the DAOs' SQL: an on-demand
     * SqlObject builds its extension and copies its configuration on every call, which cost more processor time
     * than the statements themselves (docs/benchmarks.md). The rest stays on the SqlObject DAOs.
     */

    @Override
    public AcquireOutcome acquire(LockCandidate candidate) {
        Long micros = candidate.ttl() == null ? null : micros(candidate.ttl());
        LockKey key = candidate.key();
        return translated(() -> jdbi.withHandle(handle -> {
            Optional<Lock> taken;
            try {
                taken = handle.createQuery(dialect.acquireSql())
                        .bind("id", candidate.id().value())
                        .bind("service", key.service())
                        .bind("environment", key.environment())
                        .bind("resource", key.resource())
                        .bind("who", candidate.who())
                        .bind("eventId", candidate.eventId())
                        .bind("micros", micros)
                        .map(ROWS)
                        .findOne();
            } catch (JdbiException e) {
                // H2 can lose a race between two first inserts of a key to the unique key: the key is now taken.
                if (!SqlFailures.isUniqueViolation(e)) {
                    throw e;
                }
                taken = Optional.empty();
            }
            if (taken.isPresent()) {
                return new AcquireOutcome.Acquired(taken.get());
            }
            return handle.createQuery(LockDao.FIND_HELD_BY_KEY)
                    .bind("service", key.service())
                    .bind("environment", key.environment())
                    .bind("resource", key.resource())
                    .map(ROWS)
                    .findOne()
                    .<AcquireOutcome>map(AcquireOutcome.KeyHeld::new)
                    .orElseGet(AcquireOutcome.HolderVanished::new);
        }));
    }

    @Override
    public Optional<Lock> findHeld(LockId id) {
        return translated(() -> jdbi.withHandle(handle -> handle.createQuery(LockDao.FIND_HELD)
                .bind("id", id.value()).map(ROWS).findOne()));
    }

    @Override
    public Optional<Lock> release(LockId id) {
        return translated(() -> jdbi.withHandle(handle -> handle.createQuery(dialect.releaseSql())
                .bind("id", id.value()).map(ROWS).findOne()));
    }

    @Override
    public Optional<Lock> renew(LockId id, Duration ttl) {
        return translated(() -> dao.renew(id.value(), micros(ttl)));
    }

    @Override
    public LockPage page(PageRequest request) {
        return translated(() -> jdbi.withExtension(LockDao.class, onOneConnection -> new LockPage(
                onOneConnection.page(request.perPage(), request.offset()), onOneConnection.countHeld(), request)));
    }

    @Override
    public int deleteEndedBefore(Duration retention) {
        return translated(() -> dao.deleteEndedBefore(micros(retention)));
    }

    private static long micros(Duration duration) {
        return duration.truncatedTo(ChronoUnit.MICROS).toNanos() / 1_000;
    }

    /** Database failures that mean "not reachable" become the domain's {@link LockStoreUnavailableException}. */
    private static <T> T translated(Supplier<T> work) {
        try {
            return work.get();
        } catch (JdbiException e) {
            if (SqlFailures.isUnavailable(e)) {
                throw new LockStoreUnavailableException("the lock database is unavailable", e);
            }
            throw e;
        }
    }
}
