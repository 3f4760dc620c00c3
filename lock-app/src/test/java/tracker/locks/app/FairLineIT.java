package tracker.locks.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tracker.locks.persistence.EmbeddedPostgresServer;
import tracker.locks.testkit.ServerProcess;

/**
 * One fair line per key across instances of the shipped jar on one PostgreSQL: clients waiting on different
 * instances are served in the order they came, promptly, and a waiter whose instance is SIGKILLed stops holding up
 * the line once its entry's lease has passed.
 */
class FairLineIT {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    /** The entry lease of the line (PostgresWaitingLine), and the recheck of a "not yet" that covers it. */
    private static final Duration ENTRY_LEASE = Duration.ofSeconds(3);
    private static final Duration RECHECK = Duration.ofSeconds(1);

    private final List<ServerProcess> instances = new ArrayList<>();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    @BeforeEach
    void startInstances() throws InterruptedException {
        Map<String, String> env = Map.of("DB_URL", EmbeddedPostgresServer.newDatabaseUrl(), "DB_USER", "postgres",
                "LOG_LEVEL", "WARN");
        IntStream.range(0, 3).forEach(i -> instances.add(ServerProcess.start("fair-" + i, env)));
        for (ServerProcess instance : instances) {
            instance.awaitHealthy();
        }
    }

    @AfterEach
    void stopInstances() throws InterruptedException {
        for (ServerProcess instance : instances) {
            instance.close();
        }
    }

    @Test
    void clientsWaitingAlternatelyOnTwoInstancesAcquireInArrivalOrder() throws Exception {
        ServerProcess a = instances.get(0);
        ServerProcess b = instances.get(1);
        String holder = created(post(a, "{\"service\":\"fair\",\"who\":\"holder\"}")).get("id").asText();
        int waiters = 8;
        BlockingQueue<Grant> grants = new LinkedBlockingQueue<>();
        for (int i = 1; i <= waiters; i++) {
            ServerProcess through = i % 2 == 1 ? a : b;
            String who = "waiter-" + i;
            CompletableFuture.runAsync(() -> grants.add(new Grant(created(post(through,
                    "{\"service\":\"fair\",\"who\":\"" + who + "\",\"wait\":\"60s\",\"ttl\":\"5m\"}")),
                    System.nanoTime())));
            int arrived = i;
            awaitTrue(() -> queue(b, "fair").size() == arrived, who + " in line");
        }
        List<String> line = queue(a, "fair").stream().map(w -> w.get("who").asText()).toList();
        assertThat(line).as("the queue, from either instance").containsExactlyElementsOf(
                IntStream.rangeClosed(1, waiters).mapToObj(i -> "waiter-" + i).toList());
        assertThat(lock(a, holder).get("waiters").asInt()).isEqualTo(waiters);

        List<String> order = new ArrayList<>();
        List<Long> releaseToGrantMillis = new ArrayList<>();
        String current = holder;
        for (int i = 0; i < waiters; i++) {
            ServerProcess releaser = i % 2 == 0 ? b : a; // released through either instance
            long released = System.nanoTime();
            assertThat(get(releaser, "/api/v1alpha1/unlock/" + current).statusCode()).isEqualTo(200);
            Grant grant = grants.poll(10, TimeUnit.SECONDS);
            assertThat(grant).as("grant %d", i + 1).isNotNull();
            releaseToGrantMillis.add(TimeUnit.NANOSECONDS.toMillis(grant.answeredAt() - released));
            order.add(grant.lock().get("who").asText());
            current = grant.lock().get("id").asText();
        }
        System.out.println("fair line across two instances: release-to-grant ms " + releaseToGrantMillis
                + " (median " + releaseToGrantMillis.stream().sorted().toList().get(waiters / 2) + ")");

        assertThat(order).as("grants in arrival order").containsExactlyElementsOf(line);
        assertThat(releaseToGrantMillis).as("each waiter woke promptly on a release through another instance")
                .allSatisfy(millis -> assertThat(millis)
                        .isLessThan(LeasesOnTwoInstancesTest.CROSS_INSTANCE_WAKE_BOUND.toMillis()));
        assertThat(queue(a, "fair")).isEmpty();
    }

    @Test
    void aWaiterWhoseInstanceIsKilledStopsHoldingUpTheLineAfterItsEntrysLease() throws Exception {
        ServerProcess a = instances.get(0);
        ServerProcess victim = instances.get(2);
        String holder = created(post(a, "{\"service\":\"fair\",\"who\":\"holder\"}")).get("id").asText();
        CompletableFuture.runAsync(() -> post(victim,
                "{\"service\":\"fair\",\"who\":\"on-victim\",\"wait\":\"60s\",\"ttl\":\"5m\"}"));
        awaitTrue(() -> queue(a, "fair").size() == 1, "on-victim in line");
        CompletableFuture<Grant> next = CompletableFuture.supplyAsync(() -> new Grant(created(post(a,
                "{\"service\":\"fair\",\"who\":\"next\",\"wait\":\"60s\",\"ttl\":\"5m\"}")), System.nanoTime()));
        awaitTrue(() -> queue(a, "fair").size() == 2, "next in line");

        victim.kill();
        long killed = System.nanoTime();
        assertThat(get(a, "/api/v1alpha1/unlock/" + holder).statusCode()).isEqualTo(200);

        Grant grant = next.get(ENTRY_LEASE.toSeconds() + 10, TimeUnit.SECONDS);
        long heldUpMillis = TimeUnit.NANOSECONDS.toMillis(grant.answeredAt() - killed);
        System.out.println("a killed instance's waiter held up the line for " + heldUpMillis + " ms");
        assertThat(grant.lock().get("who").asText()).isEqualTo("next");
        assertThat(heldUpMillis).as("at most the entry's lease, a renewal period and a recheck")
                .isLessThan(ENTRY_LEASE.plus(RECHECK).plusSeconds(2).toMillis());
        assertThat(queue(a, "fair")).as("the killed instance's entry is gone").isEmpty();
    }

    private record Grant(JsonNode lock, long answeredAt) {
    }

    private static JsonNode created(HttpResponse<String> response) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
        return json(response);
    }

    private JsonNode lock(ServerProcess instance, String id) {
        return json(get(instance, "/api/v1alpha1/lock/" + id));
    }

    private List<JsonNode> queue(ServerProcess instance, String service) {
        List<JsonNode> waiters = new ArrayList<>();
        json(get(instance, "/api/v1alpha1/locks/queue?service=" + service)).get("waiters").forEach(waiters::add);
        return waiters;
    }

    private HttpResponse<String> post(ServerProcess instance, String body) {
        return send(HttpRequest.newBuilder(uri(instance, "/api/v1alpha1/lock"))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)));
    }

    private HttpResponse<String> get(ServerProcess instance, String path) {
        return send(HttpRequest.newBuilder(uri(instance, path)).GET());
    }

    private HttpResponse<String> send(HttpRequest.Builder request) {
        try {
            return http.send(request.timeout(Duration.ofSeconds(90)).build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new IllegalStateException("no answer: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static URI uri(ServerProcess instance, String path) {
        return URI.create("http://127.0.0.1:" + instance.httpPort() + path);
    }

    private static JsonNode json(HttpResponse<String> response) {
        try {
            return MAPPER.readTree(response.body());
        } catch (IOException e) {
            throw new IllegalStateException("not JSON: " + response.body(), e);
        }
    }

    private static void awaitTrue(BooleanSupplier condition, String what) throws InterruptedException {
        Instant deadline = Instant.now().plusSeconds(10);
        while (!condition.getAsBoolean()) {
            assertThat(Instant.now()).as("waiting for: " + what).isBefore(deadline);
            Thread.sleep(20);
        }
    }
}
