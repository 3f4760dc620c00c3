package tracker.locks.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.protobuf.Duration;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tracker.lock.v1alpha1.CreateLockRequest;
import tracker.lock.v1alpha1.LockServiceGrpc;
import tracker.lock.v1alpha1.UnLockRequest;
import tracker.locks.persistence.EmbeddedPostgresServer;
import tracker.locks.testkit.ServerProcess;

/**
 * Waiting costs no thread, through the shipped jar over real sockets: a thousand clients wait at once on held keys
 * of one server — half over REST (a connection each), half over gRPC — while its thread count stays where it was
 * (plus its waiting room's few); then every holder releases, each waiter releases as soon as it is granted, and every
 * one is granted, in the order it came, on H2 and on PostgreSQL (where the line is a table).
 */
class WaitingWithoutThreadsIT {

    private static final int KEYS = 20;
    private static final int PER_KEY = 50;
    /** The waiting room (a timer, at most 16 workers) and the pools' growth under a burst, with room to spare. */
    private static final int MORE_THREADS_ALLOWED = 60;
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private final Map<Integer, List<Integer>> granted = new ConcurrentHashMap<>();
    private final List<CompletableFuture<?>> answers = new CopyOnWriteArrayList<>();

    @ParameterizedTest
    @ValueSource(strings = {"h2", "postgres"})
    void aThousandWaitersHoldNoThreadAndAreGrantedInArrivalOrder(String database) throws Exception {
        Map<String, String> env = new HashMap<>(Map.of("LOG_LEVEL", "WARN"));
        if (database.equals("postgres")) {
            env.putAll(Map.of("DB_URL", EmbeddedPostgresServer.newDatabaseUrl(), "DB_USER", "postgres"));
        }
        try (ServerProcess server = ServerProcess.start("waiters-" + database, env).awaitHealthy()) {
            ManagedChannel channel = ManagedChannelBuilder.forAddress(ServerProcess.HOST, server.grpcPort())
                    .usePlaintext().build();
            try {
                run(server, LockServiceGrpc.newFutureStub(channel));
            } finally {
                channel.shutdownNow();
            }
        }
    }

    private void run(ServerProcess server, LockServiceGrpc.LockServiceFutureStub grpc) throws Exception {
        List<String> holders = new ArrayList<>();
        for (int key = 0; key < KEYS; key++) {
            holders.add(restAcquire(server, key, "holder", false).get(30, TimeUnit.SECONDS));
        }
        int threadsBefore = threads(server);

        for (int round = 0; round < PER_KEY; round++) {
            for (int key = 0; key < KEYS; key++) {
                int waiter = round * KEYS + key;
                int k = key;
                if ((round + key) % 2 == 0) {
                    answers.add(restAcquire(server, key, "w" + waiter, true).thenCompose(id -> {
                        granted(k, waiter);
                        return restRelease(server, id);
                    }));
                } else {
                    CompletableFuture<Void> done = new CompletableFuture<>();
                    answers.add(done);
                    grpcWaiter(grpc, key, waiter, done);
                }
            }
            // The next round arrives once this one is in line: the order of each key's line is then known.
            awaitWaiting(server, (round + 1) * KEYS);
        }
        int threadsWaiting = threads(server);
        System.out.printf("%d waiting: server threads %d before, %d while they wait%n", KEYS * PER_KEY,
                threadsBefore, threadsWaiting);
        assertThat(threadsWaiting).as("server threads with %d clients waiting (before: %d)", KEYS * PER_KEY,
                threadsBefore).isLessThanOrEqualTo(threadsBefore + MORE_THREADS_ALLOWED).isLessThan(300);
        assertThat(answers).noneMatch(CompletableFuture::isDone);

        for (String holder : holders) {
            restRelease(server, holder).get(30, TimeUnit.SECONDS);
        }
        CompletableFuture.allOf(answers.toArray(CompletableFuture[]::new)).get(90, TimeUnit.SECONDS);

        assertThat(granted).hasSize(KEYS);
        granted.forEach((key, order) -> assertThat(order).as("grants on key %d", key)
                .hasSize(PER_KEY).isSorted());
        assertThat(waiting(server)).isZero();
    }

    private void granted(int key, int waiter) {
        granted.computeIfAbsent(key, k -> new CopyOnWriteArrayList<>()).add(waiter);
    }

    private void grpcWaiter(LockServiceGrpc.LockServiceFutureStub grpc, int key, int waiter,
                            CompletableFuture<Void> done) {
        CreateLockRequest request = CreateLockRequest.newBuilder().setService("waiters-" + key).setWho("w" + waiter)
                .setWait(Duration.newBuilder().setSeconds(55)).setTtl(Duration.newBuilder().setSeconds(120)).build();
        var created = grpc.withDeadlineAfter(90, TimeUnit.SECONDS).createLock(request);
        created.addListener(() -> {
            try {
                String id = created.get().getLock().getId();
                granted(key, waiter);
                grpc.withDeadlineAfter(30, TimeUnit.SECONDS).unLock(UnLockRequest.newBuilder().setId(id).build())
                        .get();
                done.complete(null);
            } catch (Exception e) {
                done.completeExceptionally(e);
            }
        }, Runnable::run);
    }

    private CompletableFuture<String> restAcquire(ServerProcess server, int key, String who, boolean waits) {
        String body = "{\"service\":\"waiters-" + key + "\",\"who\":\"" + who + "\""
                + (waits ? ",\"wait\":\"55s\",\"ttl\":\"2m\"" : "") + "}";
        HttpRequest request = HttpRequest.newBuilder(api(server, "/api/v1alpha1/lock"))
                .timeout(java.time.Duration.ofSeconds(90)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build();
        return http.sendAsync(request, HttpResponse.BodyHandlers.ofString()).thenApply(response -> {
            assertThat(response.statusCode()).as("acquire answered %s", response.body()).isEqualTo(201);
            try {
                return MAPPER.readTree(response.body()).get("id").asText();
            } catch (java.io.IOException e) {
                throw new IllegalStateException(e);
            }
        });
    }

    private CompletableFuture<Void> restRelease(ServerProcess server, String id) {
        HttpRequest request = HttpRequest.newBuilder(api(server, "/api/v1alpha1/lock/" + id))
                .timeout(java.time.Duration.ofSeconds(30)).DELETE().build();
        return http.sendAsync(request, HttpResponse.BodyHandlers.discarding()).thenAccept(response ->
                assertThat(response.statusCode()).as("release of %s", id).isEqualTo(200));
    }

    private static URI api(ServerProcess server, String path) {
        return URI.create("http://" + ServerProcess.HOST + ":" + server.httpPort() + path);
    }

    private void awaitWaiting(ServerProcess server, int count) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (waiting(server) < count) {
            assertThat(System.nanoTime()).as("%d waiters in line within 30 s", count).isLessThan(deadline);
            assertThat(answers).as("no waiter answered while the keys are held").noneMatch(
                    CompletableFuture::isDone);
            Thread.sleep(5); // the round's requests are on their way into the line
        }
    }

    private long waiting(ServerProcess server) throws Exception {
        String metrics = http.send(HttpRequest.newBuilder(server.adminUri("/metrics")).build(),
                HttpResponse.BodyHandlers.ofString()).body();
        return (long) PrometheusText.parse(metrics).value("tracker_lock_waiters");
    }

    private static int threads(ServerProcess server) throws Exception {
        for (String line : Files.readAllLines(Path.of("/proc", Long.toString(server.handle().pid()), "status"))) {
            if (line.startsWith("Threads:")) {
                return Integer.parseInt(line.substring("Threads:".length()).trim());
            }
        }
        throw new IllegalStateException("no thread count for the server");
    }
}
