package tracker.locks.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import com.fasterxml.jackson.databind.JsonNode;
import io.dropwizard.testing.ConfigOverride;
import io.dropwizard.testing.DropwizardTestSupport;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import tracker.lock.v1alpha1.CreateLockRequest;
import tracker.lock.v1alpha1.GetLockHistoryRequest;
import tracker.lock.v1alpha1.ListLockHistoryRequest;
import tracker.lock.v1alpha1.LockEvent;

/**
 * What an operator sees of a scripted sequence of lock operations, through the real server over real sockets: the
 * Prometheus scrape of the admin port moves by exactly what happened, and the history (REST and gRPC) holds exactly
 * those events.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ObservabilityEndToEndTest {

    private static final Duration AT_MOST = Duration.ofSeconds(20);
    private static final String LOCK = "/api/v1alpha1/lock";

    private DropwizardTestSupport<TrackerConfiguration> server;
    private Http http;
    private Http admin;
    private Grpc grpc;

    @BeforeAll
    void startServer(@TempDir Path dataDirectory) throws Exception {
        // A reaper every second, so that an expiry is recorded within the test's patience.
        server = TrackerServers.on(TrackerServers.h2File(dataDirectory),
                ConfigOverride.config("locks.reaperInterval", "1s"));
        server.before();
        http = new Http(server.getLocalPort());
        admin = new Http(server.getAdminPort());
        grpc = new Grpc(TrackerServers.grpcPort(server));
    }

    @AfterAll
    void stopServer() throws InterruptedException {
        grpc.close();
        server.after();
    }

    @Test
    void aScriptedSequenceMovesTheCountersByExactlyWhatHappenedAndTheHistoryHoldsExactlyIt() throws Exception {
        PrometheusText before = scrape();

        // acquire, conflict, a wait that times out, renew, release — over REST
        String first = http.post(LOCK, "{\"service\":\"obs\",\"who\":\"ci-1\",\"ttl\":\"1m\"}").text("id");
        assertThat(http.post(LOCK, "{\"service\":\"obs\",\"who\":\"ci-2\"}").status()).isEqualTo(409);
        assertThat(http.post(LOCK, "{\"service\":\"obs\",\"who\":\"ci-3\",\"wait\":\"300ms\",\"ttl\":\"1m\"}")
                .status()).isEqualTo(409);
        assertThat(http.post(LOCK + "/" + first + "/renew", "{\"ttl\":\"2m\"}").status()).isEqualTo(200);
        // a waiter that gets the lock when it is released
        CompletableFuture<Http.Answer> waiter = CompletableFuture.supplyAsync(() -> http.post(LOCK,
                "{\"service\":\"obs\",\"who\":\"ci-4\",\"wait\":\"20s\",\"ttl\":\"1m\"}"));
        TrackerServers.awaitWaiting(server, waiting -> waiting == 1, AT_MOST);
        assertThat(http.delete(LOCK + "/" + first).status()).isEqualTo(200);
        Http.Answer waited = waiter.get(20, TimeUnit.SECONDS);
        assertThat(waited.status()).isEqualTo(201);
        String second = waited.text("id");
        assertThat(http.get("/api/v1alpha1/unlock/" + second).status()).isEqualTo(200);
        // over gRPC: a 1 s lease that runs out, its expiry recorded by the reaper
        String lapsing = grpc.locks().createLock(CreateLockRequest.newBuilder().setService("obs-grpc").setWho("svc")
                .setTtl(com.google.protobuf.Duration.newBuilder().setSeconds(1)).build()).getLock().getId();
        awaitEvents("/api/v1alpha1/lock/" + lapsing + "/history", 2);

        PrometheusText after = scrape();

        assertThat(delta(before, after, "tracker_lock_acquisitions_total", "transport", "rest", "outcome", "acquired"))
                .isEqualTo(2);
        assertThat(delta(before, after, "tracker_lock_acquisitions_total", "transport", "rest", "outcome", "conflict"))
                .isEqualTo(1);
        assertThat(delta(before, after, "tracker_lock_acquisitions_total", "transport", "rest", "outcome", "timeout"))
                .isEqualTo(1);
        assertThat(delta(before, after, "tracker_lock_acquisitions_total", "transport", "grpc", "outcome", "acquired"))
                .isEqualTo(1);
        assertThat(delta(before, after, "tracker_lock_renewals_total", "transport", "rest", "outcome", "renewed"))
                .isEqualTo(1);
        assertThat(delta(before, after, "tracker_lock_releases_total", "transport", "rest", "reason", "released"))
                .isEqualTo(2);
        assertThat(delta(before, after, "tracker_lock_expirations_total")).isEqualTo(1);
        assertThat(delta(before, after, "tracker_lock_wait_seconds_count", "transport", "rest")).isEqualTo(1);
        assertThat(delta(before, after, "tracker_lock_wait_seconds_bucket", "transport", "rest", "le", "+Inf"))
                .isEqualTo(1);
        assertThat(delta(before, after, "tracker_lock_hold_seconds_count", "transport", "rest")).isEqualTo(2);
        assertThat(delta(before, after, "tracker_http_request_duration_seconds_count", "endpoint", LOCK,
                "method", "POST", "status", "409")).isEqualTo(2);
        assertThat(delta(before, after, "tracker_http_request_duration_seconds_count", "endpoint",
                "/api/v1alpha1/lock/{id}/renew", "method", "POST", "status", "200")).isEqualTo(1);
        assertThat(delta(before, after, "tracker_grpc_call_duration_seconds_count", "method",
                "tracker.lock.v1alpha1.LockService/CreateLock", "code", "OK")).isEqualTo(1);
        assertThat(after.value("tracker_lock_waiters")).isZero();
        assertThat(after.has("tracker_build_info", "version", "dev")).isTrue();
        assertThat(after.has("tracker_db_pool_connections", "state", "active")).isTrue();
        assertThat(after.has("tracker_db_pool_waiting")).isTrue();
        assertThat(after.series()).anyMatch(series -> series.startsWith("jvm_memory_used_bytes{"))
                .anyMatch(series -> series.startsWith("jvm_threads_current{"));
        assertThat(after.series()).as("no service name, id or principal in any label")
                .noneMatch(series -> series.contains("obs") || series.contains(first) || series.contains("ci-"));

        // The history of the REST key, newest first; the lease that ran out, oldest first, over both transports.
        JsonNode history = http.get("/api/v1alpha1/locks/history?service=obs").json();
        assertThat(events(history)).containsExactly(
                tuple(second, "released"), tuple(second, "acquired"), tuple(first, "released"),
                tuple(first, "renewed"), tuple(first, "acquired"));
        assertThat(history.get("total").asLong()).isEqualTo(5);
        assertThat(history.get("events").get(4).get("who").asText()).isEqualTo("ci-1");
        List<LockEvent> life = grpc.locks().getLockHistory(GetLockHistoryRequest.newBuilder().setId(lapsing).build())
                .getEventsList();
        assertThat(life).extracting(LockEvent::getAction).containsExactly("acquired", "expired");
        assertThat(life.get(1).getAt()).isEqualTo(life.get(1).getExpiresAt());
        assertThat(grpc.locks().listLockHistory(ListLockHistoryRequest.newBuilder().setService("obs").build())
                .getTotalCount()).isEqualTo(5);
        // Without a service: every service's events, newest first (the dashboard's recent activity).
        JsonNode everywhere = http.get("/api/v1alpha1/locks/history?per_page=1000").json();
        assertThat(everywhere.get("total").asLong()).isGreaterThanOrEqualTo(history.get("total").asLong());
        List<String> obsEvents = new ArrayList<>();
        everywhere.get("events").forEach(event -> {
            if (event.get("service").asText().equals("obs")) {
                obsEvents.add(event.get("lockId").asText() + " " + event.get("action").asText());
            }
        });
        assertThat(obsEvents).containsExactly(second + " released", second + " acquired", first + " released",
                first + " renewed", first + " acquired");
        assertThat(http.get("/api/v1alpha1/lock/not-an-id/history").status()).isEqualTo(404);
    }

    @Test
    void theLocksHeldGaugeCountsTheDatabasesHeldLocks() throws Exception {
        double before = scrape().value("tracker_locks_held");
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            ids.add(http.post(LOCK, "{\"service\":\"held-gauge-" + i + "\",\"who\":\"ci\"}").text("id"));
        }
        // cached for a few seconds: polled with a bound
        Instant deadline = Instant.now().plus(AT_MOST);
        while (scrape().value("tracker_locks_held") != before + 3) {
            assertThat(Instant.now()).as("the gauge shows the 3 new locks").isBefore(deadline);
            Thread.sleep(200);
        }
        double oldest = scrape().value("tracker_lock_oldest_held_seconds");
        assertThat(oldest).as("the oldest held lock's age").isBetween(0.0, 3600.0);
        ids.forEach(id -> http.delete(LOCK + "/" + id));
    }

    private PrometheusText scrape() {
        return PrometheusText.parse(admin.text("/metrics"));
    }

    private static double delta(PrometheusText before, PrometheusText after, String name, String... labels) {
        return after.value(name, labels) - before.value(name, labels);
    }

    private static List<org.assertj.core.groups.Tuple> events(JsonNode history) {
        List<org.assertj.core.groups.Tuple> events = new ArrayList<>();
        history.get("events").forEach(event -> events.add(tuple(event.get("lockId").asText(),
                event.get("action").asText())));
        return events;
    }

    private void awaitEvents(String path, int count) throws InterruptedException {
        Instant deadline = Instant.now().plus(AT_MOST);
        while (http.get(path).status() != 200 || http.get(path).json().get("events").size() < count) {
            assertThat(Instant.now()).as(path + " has " + count + " events").isBefore(deadline);
            Thread.sleep(100); // the reaper runs every second
        }
    }
}
