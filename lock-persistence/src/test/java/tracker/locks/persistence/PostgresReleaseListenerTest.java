package tracker.locks.persistence;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.Test;
import tracker.locks.domain.model.LockId;
import tracker.locks.domain.model.LockKey;
import tracker.locks.domain.port.out.AcquireOutcome;
import tracker.locks.domain.port.out.LockCandidate;

/** A release through one instance's repository reaches the listener of another instance on the same database. */
class PostgresReleaseListenerTest {

    @Test
    void releasesAreAnnouncedToListenersWithTheirKey() throws Exception {
        DataSource database = TestDataSources.postgres();
        LockSchema.migrate(database, SqlDialect.POSTGRESQL);
        JdbiLockRepository repository = JdbiLockRepository.on(Jdbi.create(database), SqlDialect.POSTGRESQL);
        BlockingQueue<LockKey> heard = new LinkedBlockingQueue<>();
        try (PostgresReleaseListener listener = new PostgresReleaseListener(database::getConnection)) {
            listener.subscribe(heard::add);
            listener.start();
            awaitListening(listener);
            LockKey key = new LockKey("deploy", "prod", "db \u00e9\u2713");
            AcquireOutcome taken = repository.acquire(new LockCandidate(new LockId(java.util.UUID.randomUUID()), key,
                    "ci", null, null));
            LockId id = ((AcquireOutcome.Acquired) taken).lock().id();

            repository.release(id);

            assertThat(heard.poll(5, TimeUnit.SECONDS)).isEqualTo(key);
            assertThat(repository.release(id)).isEmpty();
            assertThat(heard.poll(300, TimeUnit.MILLISECONDS)).as("a release that released nothing").isNull();
        }
    }

    @Test
    void payloadsThatNameNoKeyAreIgnored() {
        assertThat(PostgresReleaseListener.keyOf("just text")).isEmpty();
        assertThat(PostgresReleaseListener.keyOf("a\u001f\u001f")).contains(new LockKey("a", "", ""));
    }

    private static void awaitListening(PostgresReleaseListener listener) throws InterruptedException {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(10));
        while (!listener.isListening() && Instant.now().isBefore(deadline)) {
            Thread.sleep(10); // the listener thread is connecting
        }
        assertThat(listener.isListening()).isTrue();
    }
}
