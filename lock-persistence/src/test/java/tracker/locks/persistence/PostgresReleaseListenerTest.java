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
import tracker.locks.testkit.FaultyProxy;
import tracker.locks.domain.model.HolderRule;
import tracker.locks.domain.model.LockId;
import tracker.locks.domain.model.LockKey;
import tracker.locks.domain.model.WaitingClient;
import tracker.locks.domain.port.out.AcquireOutcome;
import tracker.locks.domain.port.out.LockCandidate;
import tracker.locks.domain.port.out.WaitingLine;

/**
 * A release through one instance's repository reaches the listener of another instance on the same database when
 * someone waits for its key, and only then (a NOTIFY serializes commits).
 */
class PostgresReleaseListenerTest {

    private final DataSource database = migrated();
    private final JdbiLockRepository repository = JdbiLockRepository.on(Jdbi.create(database), SqlDialect.POSTGRESQL);
    private final BlockingQueue<LockKey> heard = new LinkedBlockingQueue<>();

    private static DataSource migrated() {
        DataSource database = TestDataSources.postgres();
        LockSchema.migrate(database, SqlDialect.POSTGRESQL);
        return database;
    }

    /** Another instance's listener on the same database, started, its announcements collected in {@link #heard}. */
    private PostgresReleaseListener listening() throws InterruptedException {
        PostgresReleaseListener listener = new PostgresReleaseListener(database::getConnection);
        listener.subscribe(heard::add);
        listener.start();
        awaitListening(listener);
        return listener;
    }

    @Test
    void releasesAreAnnouncedToListenersWithTheirKey() throws Exception {
        try (PostgresReleaseListener listener = listening()) {
            LockKey key = new LockKey("deploy", "prod", "db \u00e9\u2713");
            PostgresWaitingLine line = new PostgresWaitingLine(Jdbi.create(database));
            WaitingLine.Place waiter = line.join(new WaitingClient(key, "waiter", null, HolderRule.SINGLE,
                    Instant.now()), () -> { });
            LockId id = acquired(key);

            repository.release(id);

            assertThat(heard.poll(5, TimeUnit.SECONDS)).isEqualTo(key);
            assertThat(repository.release(id)).isEmpty();
            assertThat(heard.poll(300, TimeUnit.MILLISECONDS)).as("a release that released nothing").isNull();
            line.leave(waiter);
            assertThat(heard.poll(5, TimeUnit.SECONDS)).as("the first in line left").isEqualTo(key);
        }
    }

    @Test
    void aReleaseNobodyWaitsForIsNotAnnounced() throws Exception {
        try (PostgresReleaseListener listener = listening()) {
            LockKey quiet = new LockKey("nightly", "", "");
            LockKey watched = new LockKey("deploy", "", "");
            PostgresWaitingLine line = new PostgresWaitingLine(Jdbi.create(database));
            line.join(new WaitingClient(watched, "waiter", null, HolderRule.SINGLE, Instant.now()), () -> { });

            repository.release(acquired(quiet));
            repository.release(acquired(watched));

            // Announcements arrive in commit order: the first heard is the watched key's, so the quiet one's was
            // never sent.
            assertThat(heard.poll(5, TimeUnit.SECONDS)).isEqualTo(watched);
            assertThat(heard).isEmpty();
        }
    }

    private LockId acquired(LockKey key) {
        AcquireOutcome taken = repository.acquire(new LockCandidate(new LockId(java.util.UUID.randomUUID()), key,
                "ci", null, null));
        return ((AcquireOutcome.Acquired) taken).lock().id();
    }

    /**
     * A network that drops everything without a reset: waiting for notifications alone would never notice. The
     * listener's own question notices within its bounds, it says it is not listening (waiters poll meanwhile), and
     * once the network heals it listens again by itself and hears releases.
     */
    @Test
    void aListenerBehindABlackHoleNoticesAndListensAgainWhenItHeals() throws Exception {
        String url = EmbeddedPostgresServer.newDatabaseUrl();
        DataSource direct = TestDataSources.postgres(url);
        LockSchema.migrate(direct, SqlDialect.POSTGRESQL);
        JdbiLockRepository elsewhere = JdbiLockRepository.on(Jdbi.create(direct), SqlDialect.POSTGRESQL);
        try (FaultyProxy network = FaultyProxy.start("127.0.0.1", EmbeddedPostgresServer.port())) {
            DataSource throughNetwork = TestDataSources.postgres(
                    url.replace(":" + EmbeddedPostgresServer.port() + "/", ":" + network.port() + "/"));
            try (PostgresReleaseListener listener = new PostgresReleaseListener(throughNetwork::getConnection)) {
                listener.subscribe(heard::add);
                listener.start();
                awaitListening(listener, true);

                network.blackHole();
                Instant holeOpened = Instant.now();
                awaitListening(listener, false);
                Duration noticed = Duration.between(holeOpened, Instant.now());
                network.heal();
                awaitListening(listener, true);

                assertThat(noticed).as("silence noticed within the liveness bounds")
                        .isLessThan(Duration.ofMillis(PostgresReleaseListener.LIVENESS_MILLIS
                                + PostgresReleaseListener.LIVENESS_TIMEOUT_MILLIS + 2_000));
                LockKey key = new LockKey("deploy", "after-the-hole", "");
                PostgresWaitingLine line = new PostgresWaitingLine(Jdbi.create(direct));
                line.join(new WaitingClient(key, "waiter", null, HolderRule.SINGLE, Instant.now()), () -> { });
                AcquireOutcome taken = elsewhere.acquire(new LockCandidate(new LockId(java.util.UUID.randomUUID()),
                        key, "ci", null, null));
                elsewhere.release(((AcquireOutcome.Acquired) taken).lock().id());
                assertThat(heard.poll(5, TimeUnit.SECONDS)).as("a release heard after the hole").isEqualTo(key);
            }
        }
    }

    @Test
    void payloadsThatNameNoKeyAreIgnored() {
        assertThat(PostgresReleaseListener.keyOf("just text")).isEmpty();
        assertThat(PostgresReleaseListener.keyOf("a\u001f\u001f")).contains(new LockKey("a", "", ""));
    }

    private static void awaitListening(PostgresReleaseListener listener) throws InterruptedException {
        awaitListening(listener, true);
    }

    private static void awaitListening(PostgresReleaseListener listener, boolean listening)
            throws InterruptedException {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(20));
        while (listener.isListening() != listening && Instant.now().isBefore(deadline)) {
            Thread.sleep(10); // the listener thread is connecting, or finding out its connection is dead
        }
        assertThat(listener.isListening()).as("listening").isEqualTo(listening);
    }
}
