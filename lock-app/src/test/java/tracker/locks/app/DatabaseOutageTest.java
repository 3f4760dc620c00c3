package tracker.locks.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.dropwizard.testing.ConfigOverride;
import io.dropwizard.testing.DropwizardTestSupport;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The database goes away under a running instance and comes back: meanwhile every request is answered 503 and the
 * instance reports itself unhealthy; afterwards it serves again by itself, with every lock still held.
 */
class DatabaseOutageTest {

    /** How soon after the database is back the instance must serve again (pool validation runs every second). */
    static final Duration RECOVERY_BOUND = Duration.ofSeconds(10);

    @TempDir
    Path dataDirectory;

    @Test
    void answers503WhileTheDatabaseIsDownAndRecoversByItself() throws Exception {
        try (RestartablePostgres postgres = new RestartablePostgres(dataDirectory)) {
            postgres.start();
            DropwizardTestSupport<TrackerConfiguration> server = TrackerServers.on(postgres.jdbcUrl(),
                    ConfigOverride.config("database.user", "postgres"),
                    ConfigOverride.config("statementTimeout", "2s"));
            server.before();
            try {
                Http http = new Http(server.getLocalPort());
                Http admin = new Http(server.getAdminPort());
                String held = http.post("/api/v1alpha1/lock", "{\"service\":\"deploy\",\"who\":\"before\"}")
                        .text("id");

                postgres.stop();

                for (Http.Answer answer : new Http.Answer[] {
                    http.post("/api/v1alpha1/lock", "{\"service\":\"other\",\"who\":\"during\"}"),
                    http.get("/api/v1alpha1/lock/" + held),
                    http.get("/api/v1alpha1/unlock/" + held),
                    http.get("/api/v1alpha1/locks/list"),
                }) {
                    assertThat(answer.status()).isEqualTo(503);
                    assertThat(answer.text("error")).isEqualTo("lock store unavailable, try again shortly");
                }
                Http.Answer health = admin.get("/healthcheck");
                assertThat(health.status()).isEqualTo(500);
                assertThat(health.json().get("database").get("healthy").asBoolean()).isFalse();

                postgres.start();
                Instant back = Instant.now();

                Http.Answer recovered = awaitNot503(() -> http.get("/api/v1alpha1/lock/" + held));
                assertThat(Duration.between(back, Instant.now())).isLessThan(RECOVERY_BOUND);
                assertThat(recovered.status()).isEqualTo(200);
                assertThat(recovered.text("who")).isEqualTo("before");
                assertThat(http.post("/api/v1alpha1/lock", "{\"service\":\"deploy\",\"who\":\"after\"}").status())
                        .isEqualTo(409);
                assertThat(http.post("/api/v1alpha1/lock", "{\"service\":\"other\",\"who\":\"after\"}").status())
                        .isEqualTo(201);
                assertThat(admin.get("/healthcheck").status()).isEqualTo(200);
            } finally {
                server.after();
            }
        }
    }

    private static Http.Answer awaitNot503(java.util.function.Supplier<Http.Answer> request)
            throws InterruptedException {
        Instant deadline = Instant.now().plus(RECOVERY_BOUND);
        Http.Answer answer = request.get();
        while (answer.status() == 503 && Instant.now().isBefore(deadline)) {
            Thread.sleep(100); // polling a recovering server: each try is a real request
            answer = request.get();
        }
        return answer;
    }
}
