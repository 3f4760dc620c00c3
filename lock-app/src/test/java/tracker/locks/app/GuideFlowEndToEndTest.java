package tracker.locks.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.dropwizard.testing.DropwizardTestSupport;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/** The guide's REST flow against the real server on its default embedded H2, over real sockets. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class GuideFlowEndToEndTest {

    private DropwizardTestSupport<TrackerConfiguration> server;
    private Http http;
    private Http admin;

    @BeforeAll
    void startServer(@TempDir Path dataDirectory) throws Exception {
        server = TrackerServers.on(TrackerServers.h2File(dataDirectory));
        server.before();
        http = new Http(server.getLocalPort());
        admin = new Http(server.getAdminPort());
    }

    @AfterAll
    void stopServer() {
        server.after();
    }

    @Test
    void createConflictGetListUnlockAndReacquire() {
        Http.Answer created = http.post("/api/v1alpha1/lock",
                "{\"service\": \"production-deployment\", \"who\": \"ci-pipeline-123\"}");
        assertThat(created.status()).isEqualTo(201);
        String id = created.text("id");
        assertThat(created.header("Location")).isEqualTo("/api/v1alpha1/lock/" + id);
        Instant createdAt = Instant.parse(created.text("createdAt"));
        assertThat(createdAt).isCloseTo(Instant.now().truncatedTo(ChronoUnit.SECONDS), within(5));

        Http.Answer conflict = http.post("/api/v1alpha1/lock",
                "{\"service\": \"production-deployment\", \"who\": \"ci-pipeline-456\"}");
        assertThat(conflict.status()).isEqualTo(409);
        assertThat(conflict.text("id")).as("the guide's jq -r '.id' must print null").isNull();
        assertThat(conflict.json().get("existingLock")).isEqualTo(created.json());

        Http.Answer got = http.get("/api/v1alpha1/lock/" + id);
        assertThat(got.status()).isEqualTo(200);
        // The guide's lock, and (a field added since) how many clients wait for its key.
        assertThat(got.json()).isEqualTo(((com.fasterxml.jackson.databind.node.ObjectNode) created.json().deepCopy())
                .put("waiters", 0));

        Http.Answer list = http.get("/api/v1alpha1/locks/list?per_page=10&page=1");
        assertThat(list.status()).isEqualTo(200);
        assertThat(list.json().get("locks").findValuesAsText("id")).contains(id);
        assertThat(list.json().get("perPage").asInt()).isEqualTo(10);

        Http.Answer unlocked = http.get("/api/v1alpha1/unlock/" + id);
        assertThat(unlocked.status()).isEqualTo(200);
        assertThat(unlocked.text("message")).isEqualTo("Lock released successfully");

        Http.Answer gone = http.get("/api/v1alpha1/lock/" + id);
        assertThat(gone.status()).isEqualTo(404);
        assertThat(gone.text("error")).isEqualTo("lock not found");

        Http.Answer again = http.post("/api/v1alpha1/lock",
                "{\"service\": \"production-deployment\", \"who\": \"ci-pipeline-456\"}");
        assertThat(again.status()).isEqualTo(201);
        assertThat(again.text("id")).isNotEqualTo(id);
        assertThat(http.delete("/api/v1alpha1/lock/" + again.text("id")).status()).isEqualTo(200);
    }

    @Test
    void fiftyConcurrentClientsOverHttpGetOneLockAndFortyNineConflicts() throws Exception {
        int clients = 50;
        CyclicBarrier start = new CyclicBarrier(clients);
        ExecutorService pool = Executors.newFixedThreadPool(clients);
        try {
            for (int round = 0; round < 5; round++) {
                List<Future<Http.Answer>> answers = new ArrayList<>();
                for (int c = 0; c < clients; c++) {
                    String body = "{\"service\":\"nightly-report\",\"who\":\"cron-" + c + "\"}";
                    answers.add(pool.submit(() -> {
                        start.await(10, TimeUnit.SECONDS);
                        return http.post("/api/v1alpha1/lock", body);
                    }));
                }
                List<Http.Answer> won = new ArrayList<>();
                List<Http.Answer> refused = new ArrayList<>();
                for (Future<Http.Answer> answer : answers) {
                    Http.Answer a = answer.get(60, TimeUnit.SECONDS);
                    (a.status() == 201 ? won : refused).add(a);
                }
                assertThat(won).hasSize(1);
                String winner = won.get(0).text("id");
                assertThat(refused).hasSize(clients - 1).allSatisfy(r -> {
                    assertThat(r.status()).isEqualTo(409);
                    assertThat(r.json().get("existingLock").get("id").asText()).isEqualTo(winner);
                });
                assertThat(http.get("/api/v1alpha1/unlock/" + winner).status()).isEqualTo(200);
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void errorsRaisedBeforeTheApiAreJsonToo() {
        Http.Answer badEscape = http.rawGet("/api/v1alpha1/lock/%zz");
        assertThat(badEscape.status()).isEqualTo(400);
        assertThat(badEscape.text("error")).isNotBlank();

        Http.Answer unknown = http.get("/no/such/path");
        assertThat(unknown.status()).isEqualTo(404);
        assertThat(unknown.text("error")).isEqualTo("not found");
    }

    @Test
    void theAdminPortReportsTheDatabaseHealthy() {
        Http.Answer health = admin.get("/healthcheck");

        assertThat(health.status()).isEqualTo(200);
        assertThat(health.json().get("database").get("healthy").asBoolean()).isTrue();
    }

    private static org.assertj.core.data.TemporalUnitOffset within(long seconds) {
        return new org.assertj.core.data.TemporalUnitWithinOffset(seconds, ChronoUnit.SECONDS);
    }
}
