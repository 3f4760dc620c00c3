package tracker.locks.persistence;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.JdbiException;
import org.jdbi.v3.core.statement.Query;
import tracker.locks.domain.model.HistoryFilter;
import tracker.locks.domain.model.Lock;
import tracker.locks.domain.model.LockEvent;
import tracker.locks.domain.model.LockEventPage;
import tracker.locks.domain.model.LockId;
import tracker.locks.domain.model.LockPage;
import tracker.locks.domain.model.LockStoreUnavailableException;
import tracker.locks.domain.model.PageRequest;
import tracker.locks.domain.model.Released;
import tracker.locks.domain.model.ServicePatterns;
import tracker.locks.domain.port.out.AcquireOutcome;
import tracker.locks.domain.port.out.LockCandidate;
import tracker.locks.domain.port.out.LockRepository;

/**
 * The {@link LockRepository} on a relational database through JDBI's fluent API: H2 or PostgreSQL, each with its own
 * SQL for the writes ({@link LockStatements}). Mutual exclusion is the unique key on (service, environment, resource): a key has one row, and taking it
 * is one statement that inserts the row or takes over a row whose lock has ended.
 *
 * <p>Why ended locks keep their row for a while: the token of a takeover is drawn after the row is locked, so it is
 * greater than the previous holder's. Were the row deleted on release, a slow insert that drew its token before the
 * previous holder drew its own could still succeed afterwards, with the smaller token. The reaper deletes rows only
 * long after they ended — longer than any statement may run — which closes that window too.
 *
 * <p>The history ({@code lock_events}) is written by triggers on {@code locks} (the changelog; on H2
 * {@link H2LockHistoryTrigger}): every statement that changes a lock records what it changed in its own
 * transaction, whichever path — single, combined, reaper — it took. Here it is only read and pruned. An acquisition
 * is recorded by the lock's own row until the lock ends; its end writes the whole life as one row, so a cycle of
 * acquire and release costs one history row, not two (the write is what the history costs: docs/benchmarks.md).
 * The reads put the events back together ({@link LockStatements}).
 */
public final class JdbiLockRepository implements LockRepository {

    /**
     * On PostgreSQL, how many acquisition (and release) statements of this instance run at once; requests that come
     * meanwhile queue and go together, at most {@link #MAX_BATCH} in a statement; a lone request still goes at once.
     * Measured with lock-bench (gRPC, 32 clients, 30 s warm-up): with 4 the batches averaged 1.1 requests, i.e.
     * nothing was combined (1,021 cycles/s); with 2, 2.5 (1,132); with 1, about 5, and PostgreSQL's CPU per lock
     * halved (1,649). The trade-off is in the README (design decisions, "Group commit").
     */
    private static final int BATCH_RUNNERS = 1;
    private static final int MAX_BATCH = 64;

    private final Jdbi jdbi;
    private final LockStatements sql;
    private final LockWrites writes;
    private final Durability durability;

    private JdbiLockRepository(Jdbi jdbi, LockStatements sql, LockWrites writes, Durability durability) {
        this.jdbi = jdbi;
        this.sql = sql;
        this.writes = writes;
        this.durability = durability;
    }

    /** The repository on {@code jdbi}, speaking {@code dialect}. */
    public static JdbiLockRepository on(Jdbi jdbi, SqlDialect dialect) {
        if (dialect == SqlDialect.POSTGRESQL) {
            return new JdbiLockRepository(jdbi, dialect.statements(),
                    new PostgresBatchWrites(jdbi, BATCH_RUNNERS, MAX_BATCH), Durability.AT_COMMIT);
        }
        Durability durability = Durability.h2FlushToDisk();
        return new JdbiLockRepository(jdbi, dialect.statements(),
                new SingleStatementWrites(jdbi, dialect.statements(), durability), durability);
    }

    @Override
    public AcquireOutcome acquire(LockCandidate candidate) {
        return translatedChange(() -> writes.acquire(candidate));
    }

    @Override
    public Optional<Lock> findHeld(LockId id) {
        return translated(() -> jdbi.withHandle(handle -> handle.createQuery(LockStatements.FIND_HELD)
                .bind("id", id.value()).map(LockRowMapper.ROWS).findOne()));
    }

    @Override
    public Optional<Lock> release(LockId id) {
        return translatedChange(() -> writes.release(id));
    }

    @Override
    public Optional<Released> releaseAsAdmin(LockId id, String admin) {
        // Rare (an operator's action), so never combined: one statement of its own.
        return translatedChange(() -> jdbi.withHandle(handle -> {
            Optional<Released> released = sql.atomically(handle, h -> h.createQuery(sql.releaseAsAdmin())
                    .bind("id", id.value())
                    .bind("admin", admin)
                    .map((rs, ctx) -> new Released(LockRowMapper.ROWS.map(rs, ctx),
                            "force-released".equals(rs.getString("end_reason"))))
                    .findOne());
            if (released.isPresent()) {
                durability.awaitDurable(handle);
            }
            return released;
        }));
    }

    @Override
    public Optional<Lock> renew(LockId id, Duration ttl) {
        return translatedChange(() -> jdbi.withHandle(handle -> {
            Optional<Lock> renewed = sql.atomically(handle, h -> h.createQuery(sql.renew())
                    .bind("id", id.value())
                    .bind("micros", LockDurations.micros(ttl))
                    .map(LockRowMapper.ROWS)
                    .findOne());
            if (renewed.isEmpty()) {
                // Not a holder in place 0: perhaps one in another place of its key, renewed under the key's lock.
                renewed = handle.createQuery(LockStatements.FIND_HELD).bind("id", id.value())
                        .map(LockRowMapper.ROWS).findOne()
                        .flatMap(held -> new KeyAdmission(sql).renewUnderKey(handle, id, held.key(), ttl));
            }
            if (renewed.isPresent()) {
                durability.awaitDurable(handle);
            }
            return renewed;
        }));
    }

    @Override
    public LockPage page(PageRequest request, ServicePatterns services) {
        ServiceFilter filter = ServiceFilter.of(services);
        return translated(() -> jdbi.withHandle(handle -> new LockPage(
                filter.bindTo(handle.createQuery(LockStatements.page(filter.condition())))
                        .bind("limit", request.perPage())
                        .bind("offset", request.offset())
                        .map(LockRowMapper.ROWS)
                        .list(),
                filter.bindTo(handle.createQuery(LockStatements.countHeld(filter.condition())))
                        .mapTo(Long.class).one(),
                request)));
    }

    @Override
    public int deleteEndedBefore(Duration retention) {
        return translated(() -> jdbi.withHandle(handle -> handle.createUpdate(sql.deleteEndedBefore())
                .bind("micros", LockDurations.micros(retention))
                .execute()));
    }

    @Override
    public int endLapsedLeases() {
        return translated(() -> jdbi.withHandle(handle -> {
            int ended = sql.atomically(handle, h -> h.createUpdate(sql.endLapsedLeases()).execute());
            if (ended > 0) {
                durability.awaitDurable(handle);
            }
            return ended;
        }));
    }

    @Override
    public LockEventPage history(HistoryFilter filter, PageRequest request) {
        List<String> conditions = new ArrayList<>();
        ServiceFilter services = ServiceFilter.of(filter.within());
        conditions.add(filter.service() != null ? "service = :service" : services.condition());
        if (filter.environment() != null) {
            conditions.add("environment = :environment");
        }
        if (filter.resource() != null) {
            conditions.add("resource = :resource");
        }
        String condition = String.join(" AND ", conditions);
        return translated(() -> jdbi.withHandle(handle -> new LockEventPage(
                bindFilter(handle.createQuery(LockStatements.historyPage(condition)), filter, services)
                        .bind("limit", request.perPage())
                        .bind("offset", request.offset())
                        .map(LockEventRowMapper.EVENTS)
                        .list(),
                bindFilter(handle.createQuery(LockStatements.countHistory(condition)), filter, services)
                        .mapTo(Long.class).one(),
                request)));
    }

    private static Query bindFilter(Query query, HistoryFilter filter, ServiceFilter services) {
        if (filter.service() != null) {
            query.bind("service", filter.service());
        } else {
            services.bindTo(query);
        }
        if (filter.environment() != null) {
            query.bind("environment", filter.environment());
        }
        if (filter.resource() != null) {
            query.bind("resource", filter.resource());
        }
        return query;
    }

    @Override
    public List<LockEvent> history(LockId id) {
        return translated(() -> jdbi.withHandle(handle -> handle.createQuery(LockStatements.HISTORY_OF_LOCK)
                .bind("id", id.value()).map(LockEventRowMapper.EVENTS).list()));
    }

    @Override
    public int deleteHistoryBefore(Duration retention) {
        return translated(() -> jdbi.withHandle(handle -> handle.createQuery(sql.deleteHistoryBefore())
                .bind("micros", LockDurations.micros(retention))
                .mapTo(Integer.class).one()));
    }

    /**
     * A client's change (acquire, renew, release): as {@link #translated}, and when the database may have committed
     * the change before its connection failed, the failure says that the outcome is unknown.
     */
    private static final String UNAVAILABLE = "the lock database is unavailable";

    private static <T> T translatedChange(Supplier<T> change) {
        try {
            return change.get();
        } catch (JdbiException e) {
            if (SqlFailures.isUnavailable(e)) {
                throw SqlFailures.mayHaveTakenEffect(e) ? LockStoreUnavailableException.outcomeUnknown(
                        "the lock database became unavailable during a change, which may have taken effect", e)
                        : new LockStoreUnavailableException(UNAVAILABLE, e);
            }
            throw e;
        }
    }

    /** Database failures that mean "not reachable" become the domain's {@link LockStoreUnavailableException}. */
    private static <T> T translated(Supplier<T> work) {
        try {
            return work.get();
        } catch (JdbiException e) {
            if (SqlFailures.isUnavailable(e)) {
                throw new LockStoreUnavailableException(UNAVAILABLE, e);
            }
            throw e;
        }
    }
}
