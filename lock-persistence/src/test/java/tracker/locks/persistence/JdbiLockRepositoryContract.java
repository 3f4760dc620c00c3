package tracker.locks.persistence;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import javax.sql.DataSource;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import tracker.locks.domain.model.Lock;
import tracker.locks.domain.model.LockEvent;
import tracker.locks.domain.port.out.AcquireOutcome;
import tracker.locks.domain.port.out.LockRepository;
import tracker.locks.domain.testing.LockRepositoryContract;

/** The repository contract on a real database: migrated once per class, emptied before every test. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class JdbiLockRepositoryContract extends LockRepositoryContract {

    private Jdbi jdbi;

    /** A data source on an empty database of the kind under test. */
    protected abstract DataSource newDatabase();

    protected abstract SqlDialect dialect();

    @Override
    protected LockRepository emptyRepository() {
        if (jdbi == null) {
            DataSource dataSource = newDatabase();
            LockSchema.migrate(dataSource, dialect());
            jdbi = Jdbi.create(dataSource);
        }
        jdbi.useHandle(handle -> {
            handle.execute("DELETE FROM locks");
            handle.execute("DELETE FROM lock_events");
        });
        return JdbiLockRepository.on(jdbi, dialect());
    }

    /**
     * The history is written in the change's own transaction: when its row cannot be written (here a constraint the
     * test adds refuses it), the change fails too and the lock is as it was. An acquisition writes no row of its own
     * (the lock's row records it), but taking over a lapsed lease writes the predecessor's life.
     */
    @Test
    void aChangeWhoseHistoryCannotBeWrittenFailsAndChangesNothing() throws InterruptedException {
        Lock kept = acquired(repository.acquire(leased("kept", "ci", Duration.ofMinutes(1))));
        Lock lapsed = acquired(repository.acquire(leased("lapsed", "ci", Duration.ofMillis(200))));
        awaitPast(lapsed.expiresAt());
        jdbi.useHandle(handle -> handle.execute("ALTER TABLE lock_events ADD CONSTRAINT ck_refused"
                + " CHECK (action NOT IN ('released', 'renewed', 'expired'))"));
        try {
            assertThatThrownBy(() -> repository.acquire(candidate("lapsed", "ci-2")));
            assertThatThrownBy(() -> repository.release(kept.id()));
            assertThatThrownBy(() -> repository.renew(kept.id(), Duration.ofMinutes(5)));

            String lapsedRow = jdbi.withHandle(handle -> handle.createQuery(
                    "SELECT who FROM locks WHERE service = 'lapsed'").mapTo(String.class).one());
            assertThat(lapsedRow).as("the refused take-over left the lapsed lock's row as it was").isEqualTo("ci");
            assertThat(repository.findHeld(kept.id())).as("the refused release and renewal changed nothing")
                    .contains(kept);
            assertThat(repository.history(kept.id())).extracting(LockEvent::action).hasSize(1);
        } finally {
            jdbi.useHandle(handle -> handle.execute("ALTER TABLE lock_events DROP CONSTRAINT ck_refused"));
        }
        assertThat(repository.release(kept.id())).isPresent();
        assertThat(repository.acquire(candidate("lapsed", "ci-2"))).isInstanceOf(AcquireOutcome.Acquired.class);
    }
}
