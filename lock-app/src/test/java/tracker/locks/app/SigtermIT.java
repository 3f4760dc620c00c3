package tracker.locks.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tracker.lock.v1alpha1.CreateLockRequest;
import tracker.lock.v1alpha1.LockServiceGrpc;
import tracker.locks.persistence.EmbeddedPostgresServer;
import tracker.locks.testkit.GrpcLockClient;
import tracker.locks.testkit.LockClient;
import tracker.locks.testkit.RestLockClient;
import tracker.locks.testkit.ServerProcess;

/**
 * SIGTERM under requests in flight: the instance stops taking new requests, lets the ones in flight finish, and
 * exits by itself within the grace period.
 */
class SigtermIT {

    private static final Duration GRACE = Duration.ofSeconds(10);
    private static final String ACTIVE_REST = "io.dropwizard.jetty.MutableServletContextHandler.active-requests";
    private static final String ACTIVE_GRPC = TrackerApplication.GRPC_ACTIVE_CALLS;
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void finishesRequestsInFlightThenExits() throws Exception {
        String databaseUrl = EmbeddedPostgresServer.newDatabaseUrl();
        // The statement timeout outlasts the test: the blocked statement must still be waiting at SIGTERM.
        try (ServerProcess instance = ServerProcess.start("sigterm", Map.of("DB_URL", databaseUrl,
                "DB_USER", "postgres", "SHUTDOWN_GRACE_PERIOD", GRACE.toSeconds() + "s",
                "DB_STATEMENT_TIMEOUT", "60s")).awaitHealthy();
             Connection blocker = DriverManager.getConnection(databaseUrl, "postgres", "postgres")) {
            RestLockClient rest = new RestLockClient(instance.httpPort());
            GrpcLockClient grpc = new GrpcLockClient(instance.grpcPort());

            // Hold the table so that acquisitions block in the database: requests truly in flight. (Acquisitions
            // are combined, one statement at a time per instance: the first waits in the database, the others
            // behind it in the server.)
            blocker.setAutoCommit(false);
            try (Statement statement = blocker.createStatement()) {
                statement.execute("LOCK TABLE locks IN ACCESS EXCLUSIVE MODE");
            }
            List<CompletableFuture<LockClient.AcquireAnswer>> inFlight = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                String key = "in-flight-" + i;
                inFlight.add(CompletableFuture.supplyAsync(() -> rest.acquire(key + "-rest", "rest")));
                inFlight.add(CompletableFuture.supplyAsync(() -> grpc.acquire(key + "-grpc", "grpc")));
            }
            awaitInFlight(instance, 3, 3);
            awaitBlockedStatement(blocker);

            instance.terminate();
            Thread.sleep(500); // let the signal reach the JVM and the connectors close

            assertThat(new RestLockClient(instance.httpPort()).acquire("late", "late").outcome())
                    .as("a request arriving after SIGTERM").isEqualTo(LockClient.Outcome.FAILED);
            assertThat(inFlight).noneMatch(CompletableFuture::isDone);

            blocker.commit();

            for (CompletableFuture<LockClient.AcquireAnswer> request : inFlight) {
                assertThat(request.get(GRACE.toSeconds(), TimeUnit.SECONDS).outcome())
                        .isEqualTo(LockClient.Outcome.ACQUIRED);
            }
            assertThat(instance.awaitExit(GRACE)).as("exited within the grace period").isTrue();
            // 143 = 128 + SIGTERM: the JVM's normal exit status after its shutdown hooks ran to completion.
            assertThat(instance.exitCode()).isEqualTo(143);
            assertThat(instance.log()).doesNotContain("ERROR");
            grpc.close();
        }
        try (Connection check = DriverManager.getConnection(databaseUrl, "postgres", "postgres");
             Statement statement = check.createStatement();
             ResultSet held = statement.executeQuery("SELECT COUNT(*) FROM locks")) {
            held.next();
            assertThat(held.getInt(1)).as("locks acknowledged during shutdown are stored").isEqualTo(6);
        }
    }

    /**
     * Clients waiting for a held key are answered as soon as shutdown begins — REST 503 with Retry-After, gRPC
     * UNAVAILABLE — so they can go to another instance, instead of being cut off without an answer when the grace
     * period ends; the instance then exits well within its grace period, and nothing was taken for them.
     */
    @Test
    void answersWaitingClientsAtOnceThenExits(@TempDir Path directory) throws Exception {
        Map<String, String> env = Map.of("DB_URL", TrackerServers.h2File(directory),
                "SHUTDOWN_GRACE_PERIOD", GRACE.toSeconds() + "s", "LOG_LEVEL", "WARN");
        try (ServerProcess instance = ServerProcess.start("sigterm-waiters", env).awaitHealthy()) {
            RestLockClient rest = new RestLockClient(instance.httpPort());
            assertThat(rest.acquire("sigterm-wait", "holder").outcome()).isEqualTo(LockClient.Outcome.ACQUIRED);
            HttpClient http = HttpClient.newHttpClient();
            CompletableFuture<HttpResponse<String>> restWaiter = http.sendAsync(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + instance.httpPort() + "/api/v1alpha1/lock"))
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(
                            "{\"service\":\"sigterm-wait\",\"who\":\"rest-waiter\",\"wait\":\"60s\"}"))
                    .build(), HttpResponse.BodyHandlers.ofString());
            ManagedChannel channel = ManagedChannelBuilder.forAddress(ServerProcess.HOST, instance.grpcPort())
                    .usePlaintext().build();
            try {
                var grpcWaiter = LockServiceGrpc.newFutureStub(channel).createLock(CreateLockRequest.newBuilder()
                        .setService("sigterm-wait").setWho("grpc-waiter")
                        .setWait(com.google.protobuf.Duration.newBuilder().setSeconds(60)).build());
                awaitWaiting(instance, 2);

                Instant signalled = Instant.now();
                instance.terminate();

                HttpResponse<String> restAnswer = restWaiter.get(5, TimeUnit.SECONDS);
                Duration restAnswered = Duration.between(signalled, Instant.now());
                assertThat(restAnswer.statusCode()).isEqualTo(503);
                assertThat(restAnswer.headers().firstValue("Retry-After")).isPresent();
                assertThat(JSON.readTree(restAnswer.body()).path("error").asText()).contains("shutting down");
                assertThatThrownBy(() -> grpcWaiter.get(5, TimeUnit.SECONDS))
                        .hasCauseInstanceOf(StatusRuntimeException.class)
                        .satisfies(e -> assertThat(Status.fromThrowable(e.getCause()).getCode())
                                .isEqualTo(Status.Code.UNAVAILABLE));
                assertThat(instance.awaitExit(GRACE)).as("exited within the grace period").isTrue();
                Duration exited = Duration.between(signalled, Instant.now());
                System.out.printf("SigtermIT: waiting clients answered %d ms after SIGTERM, exit after %d ms%n",
                        restAnswered.toMillis(), exited.toMillis());
                assertThat(restAnswered).as("the REST waiter answered long before the grace period ends")
                        .isLessThan(GRACE.dividedBy(2));
                assertThat(instance.exitCode()).isEqualTo(143);
            } finally {
                channel.shutdownNow();
            }
        }
        try (ServerProcess again = ServerProcess.start("sigterm-waiters-again", env).awaitHealthy()) {
            RestLockClient rest = new RestLockClient(again.httpPort());
            assertThat(rest.findHeldBy("holder")).as("the holder keeps its lock").isPresent();
            assertThat(rest.findHeldBy("rest-waiter")).as("nothing taken for a waiter sent away").isEmpty();
            assertThat(rest.findHeldBy("grpc-waiter")).isEmpty();
        }
    }

    /** Waits until this many clients wait on the instance (the waiting gauge of its admin /metrics). */
    private static void awaitWaiting(ServerProcess instance, int waiting) throws Exception {
        HttpClient client = HttpClient.newHttpClient();
        HttpRequest metrics = HttpRequest.newBuilder(instance.adminUri("/metrics.json")).build();
        Instant deadline = Instant.now().plusSeconds(20);
        int now = -1;
        while (now != waiting && Instant.now().isBefore(deadline)) {
            now = JSON.readTree(client.send(metrics, HttpResponse.BodyHandlers.ofString()).body())
                    .path("gauges").path(TrackerApplication.WAITING).path("value").asInt(-1);
            if (now != waiting) {
                Thread.sleep(50); // the requests are on their way to the server
            }
        }
        assertThat(now).as("clients waiting").isEqualTo(waiting);
    }

    private static List<String> activity(Connection connection) throws Exception {
        List<String> rows = new ArrayList<>();
        try (Connection watcher = DriverManager.getConnection(connection.getMetaData().getURL(), "postgres",
                "postgres");
             Statement statement = watcher.createStatement();
             ResultSet rs = statement.executeQuery("SELECT state, wait_event_type, query FROM pg_stat_activity")) {
            while (rs.next()) {
                rows.add(rs.getString(1) + "/" + rs.getString(2) + "/" + rs.getString(3));
            }
        }
        return rows;
    }

    /** Waits until the server has this many REST requests and gRPC calls in flight (its admin /metrics). */
    private static void awaitInFlight(ServerProcess instance, int rest, int grpc) throws Exception {
        HttpClient client = HttpClient.newHttpClient();
        HttpRequest metrics = HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + instance.adminPort() + "/metrics.json")).build();
        Instant deadline = Instant.now().plusSeconds(20);
        int activeRest = -1;
        int activeGrpc = -1;
        while ((activeRest != rest || activeGrpc != grpc) && Instant.now().isBefore(deadline)) {
            JsonNode now = JSON.readTree(client.send(metrics, HttpResponse.BodyHandlers.ofString()).body());
            activeRest = now.path("counters").path(ACTIVE_REST).path("count").asInt(-1);
            activeGrpc = now.path("gauges").path(ACTIVE_GRPC).path("value").asInt(-1);
            if (activeRest != rest || activeGrpc != grpc) {
                Thread.sleep(50); // the requests are on their way to the server
            }
        }
        assertThat(List.of(activeRest, activeGrpc)).as("REST requests and gRPC calls in flight")
                .containsExactly(rest, grpc);
    }

    /** Waits until an acquisition statement waits in the database, for the table the test holds. */
    private static void awaitBlockedStatement(Connection connection) throws Exception {
        Instant deadline = Instant.now().plusSeconds(20);
        int blocked = 0;
        while (blocked == 0 && Instant.now().isBefore(deadline)) {
            try (Connection watcher = DriverManager.getConnection(
                    connection.getMetaData().getURL(), "postgres", "postgres");
                 Statement statement = watcher.createStatement();
                 ResultSet rs = statement.executeQuery("SELECT COUNT(*) FROM pg_stat_activity"
                         + " WHERE wait_event_type = 'Lock' AND query LIKE '%INSERT INTO locks%'")) {
                rs.next();
                blocked = rs.getInt(1);
            }
            if (blocked == 0) {
                Thread.sleep(50); // the first request is on its way to the database
            }
        }
        assertThat(blocked).as("acquisitions waiting in the database; activity: %s", activity(connection))
                .isPositive();
    }
}
