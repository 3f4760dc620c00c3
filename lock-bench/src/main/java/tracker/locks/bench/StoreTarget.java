package tracker.locks.bench;

import java.time.Duration;
import java.util.UUID;
import javax.sql.DataSource;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.NoTemplateEngine;
import tracker.locks.domain.model.LockId;
import tracker.locks.domain.model.LockKey;
import tracker.locks.domain.port.out.AcquireOutcome;
import tracker.locks.domain.port.out.LockCandidate;
import tracker.locks.domain.port.out.LockRepository;
import tracker.locks.persistence.JdbiLockRepository;
import tracker.locks.persistence.SqlDialect;

/**
 * The baseline (the {@code store-limit} row): the server's own lock store — its statements, on its schema, with its
 * durability and, on PostgreSQL, its group commit — called straight from the benchmark's threads on a pool of the
 * same size, without the server's transports, domain service or process around it. Everything a server row costs
 * beyond this row is what the server adds to the store.
 */
final class StoreTarget implements LoadTarget {

    /** As the server's lock service: a key released and taken again this often during one attempt runs out. */
    private static final int HOLDER_VANISHED_RETRIES = 100;

    private final LockRepository store;

    StoreTarget(DataSource pool, SqlDialect dialect) {
        Jdbi jdbi = Jdbi.create(pool);
        jdbi.setTemplateEngine(new NoTemplateEngine());
        this.store = JdbiLockRepository.on(jdbi, dialect);
    }

    @Override
    public String acquire(String service, String environment, String who) {
        for (int attempt = 0; attempt < HOLDER_VANISHED_RETRIES; attempt++) {
            AcquireOutcome outcome = store.acquire(new LockCandidate(new LockId(UUID.randomUUID()),
                    new LockKey(service, environment, ""), who, null, (Duration) null));
            if (outcome instanceof AcquireOutcome.Acquired acquired) {
                return acquired.lock().id().toString();
            }
            if (outcome instanceof AcquireOutcome.KeyHeld) {
                return null;
            }
        }
        throw new IllegalStateException("the holder of " + service + " vanished " + HOLDER_VANISHED_RETRIES
                + " times in a row");
    }

    @Override
    public void release(String id) {
        if (store.release(new LockId(UUID.fromString(id))).isEmpty()) {
            throw new IllegalStateException("releasing " + id + " found no lock held");
        }
    }
}
