package tracker.locks.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tracker.locks.testkit.ServerProcess;

/** The client library against the shipped server, a real process. */
class LockClientIT {

    @TempDir
    static Path data;
    private static ServerProcess server;
    private static LockClient locks;

    @BeforeAll
    static void startServer() throws Exception {
        server = ServerProcess.start("client-server", Map.of("DB_URL",
                "jdbc:h2:file:" + data.resolve("tracker").toAbsolutePath() + ";DB_CLOSE_ON_EXIT=FALSE")).awaitHealthy();
        locks = LockClient.builder(URI.create("http://127.0.0.1:" + server.httpPort())).build();
    }

    @AfterAll
    static void stopServer() throws Exception {
        locks.close();
        server.close();
    }

    @Test
    void renewalKeepsATwoSecondLeaseAliveForTenSecondsAndCloseReleases() throws Exception {
        HeldLock lock = locks.acquire(LockRequest.of("renewed", "client-it").ttl(Duration.ofSeconds(2)));
        Instant end = Instant.now().plusSeconds(10);
        while (Instant.now().isBefore(end)) {
            assertThat(lock.isHeld()).isTrue();
            assertThat(locks.get(lock.id())).as("still held by the server").isPresent();
            Thread.sleep(500); // sampling the server while the lease (2s) is renewed in the background
        }
        assertThat(lock.lost()).isNotDone();

        lock.close();

        assertThat(lock.isHeld()).isFalse();
        assertThat(locks.get(lock.id())).isEmpty();
        assertThat(lock.lost()).as("a release is not a loss").isNotDone();
    }

    @Test
    void aForceReleaseIsReportedWithinOneRenewalInterval() throws Exception {
        Duration ttl = Duration.ofSeconds(3);
        try (HeldLock lock = locks.acquire(LockRequest.of("force-released", "client-it").ttl(ttl))) {
            Instant released = Instant.now();
            assertThat(locks.release(lock.id())).isTrue();

            String reason = lock.lost().get(ttl.toMillis() / 3 + 2_000, TimeUnit.MILLISECONDS);

            assertThat(reason).contains("no longer holds it");
            assertThat(Duration.between(released, Instant.now())).isLessThan(ttl.dividedBy(3).plusSeconds(1));
            assertThat(lock.isHeld()).isFalse();
        }
    }

    @Test
    void aConflictCarriesTheHolderAndAnUnreachableServerIsAnotherException() throws Exception {
        try (HeldLock holder = locks.acquire(LockRequest.of("conflict", "first").ttl(Duration.ofSeconds(30)))) {
            LockHeldException held = catchThrowableOfType(LockHeldException.class,
                    () -> locks.acquire(LockRequest.of("conflict", "second").waitingUpTo(Duration.ofMillis(300))
                            .ttl(Duration.ofSeconds(30))));

            assertThat(held.holder().id()).isEqualTo(holder.id());
            assertThat(held.holder().who()).isEqualTo("first");
            assertThat(held.holder().token()).isEqualTo(holder.token());
        }
        try (LockClient nowhere = LockClient.builder(URI.create("http://127.0.0.1:" + ServerProcess.freePort()))
                .connectTimeout(Duration.ofSeconds(1)).build()) {
            assertThat(catchThrowableOfType(LockServerException.class,
                    () -> nowhere.acquire(LockRequest.of("anything", "x")))).hasMessageContaining("cannot reach");
        }
        assertThat(catchThrowableOfType(LockRejectedException.class,
                () -> locks.acquire(LockRequest.of("bad", "x").ttl(Duration.ofDays(30)))).status()).isEqualTo(400);
    }
}
