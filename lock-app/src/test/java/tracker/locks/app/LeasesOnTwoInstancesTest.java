package tracker.locks.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.dropwizard.testing.ConfigOverride;
import io.dropwizard.testing.DropwizardTestSupport;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import tracker.locks.domain.testing.FencedResource;
import tracker.locks.persistence.EmbeddedPostgresServer;

/**
 * Leases, tokens and waiting across two instances on one PostgreSQL, through the real servers over HTTP: expiry is
 * judged by the database's clock, tokens grow across instances, and a release on one instance wakes a client
 * waiting on the other.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class LeasesOnTwoInstancesTest {

    /** A release must reach a waiter on the other instance through LISTEN/NOTIFY, well before the 1 s fallback poll. */
    static final Duration CROSS_INSTANCE_WAKE_BOUND = Duration.ofMillis(500);

    private DropwizardTestSupport<TrackerConfiguration> first;
    private DropwizardTestSupport<TrackerConfiguration> second;
    private Http one;
    private Http two;

    @BeforeAll
    void startTwoInstances() throws Exception {
        String database = EmbeddedPostgresServer.newDatabaseUrl();
        first = TrackerServers.on(database, ConfigOverride.config("database.user", "postgres"));
        second = TrackerServers.on(database, ConfigOverride.config("database.user", "postgres"));
        first.before();
        second.before();
        one = new Http(first.getLocalPort());
        two = new Http(second.getLocalPort());
    }

    @AfterAll
    void stop() {
        second.after();
        first.after();
    }

    @Test
    void aLocksHistoryIsOneAcrossInstancesWhicheverInstanceChangedIt() {
        String id = one.post("/api/v1alpha1/lock", "{\"service\":\"history-two\",\"who\":\"ci\",\"ttl\":\"1m\"}")
                .text("id");
        assertThat(two.post("/api/v1alpha1/lock/" + id + "/renew", "{\"ttl\":\"2m\"}").status()).isEqualTo(200);
        assertThat(one.delete("/api/v1alpha1/lock/" + id).status()).isEqualTo(200);

        for (Http instance : List.of(one, two)) {
            List<String> life = new ArrayList<>();
            instance.get("/api/v1alpha1/lock/" + id + "/history").json().get("events")
                    .forEach(event -> life.add(event.get("action").asText()));
            assertThat(life).containsExactly("acquired", "renewed", "released");
            assertThat(instance.get("/api/v1alpha1/locks/history?service=history-two").json().get("total").asLong())
                    .isEqualTo(3);
        }
    }

    @Test
    void aReleaseOnOneInstanceWakesAClientWaitingOnTheOtherPromptly() throws Exception {
        String holder = one.post("/api/v1alpha1/lock", "{\"service\":\"deploy\",\"who\":\"on-one\"}").text("id");
        CompletableFuture<Http.Answer> waiting = CompletableFuture.supplyAsync(() -> two.post("/api/v1alpha1/lock",
                "{\"service\":\"deploy\",\"who\":\"waiting-on-two\",\"wait\":\"20s\",\"ttl\":\"1m\"}"));
        TrackerServers.awaitWaiting(second, clients -> clients == 1, Duration.ofSeconds(10));

        Instant released = Instant.now();
        assertThat(one.get("/api/v1alpha1/unlock/" + holder).status()).isEqualTo(200);
        Http.Answer acquired = waiting.get(10, TimeUnit.SECONDS);
        Duration woken = Duration.between(released, Instant.now());

        assertThat(acquired.status()).isEqualTo(201);
        assertThat(acquired.text("who")).isEqualTo("waiting-on-two");
        assertThat(woken).isLessThan(CROSS_INSTANCE_WAKE_BOUND);
        two.get("/api/v1alpha1/unlock/" + acquired.text("id"));
    }

    @Test
    void tokensGrowAcrossInstancesAndAPausedHoldersLateWriteIsFenced() throws Exception {
        Http.Answer paused = one.post("/api/v1alpha1/lock",
                "{\"service\":\"ledger\",\"who\":\"worker-a\",\"ttl\":\"500ms\"}");
        assertThat(paused.status()).isEqualTo(201);
        long pausedToken = paused.json().get("token").asLong();
        FencedResource store = new FencedResource();
        assertThat(store.write(pausedToken, "worker-a's first write")).isTrue();
        Thread.sleep(700); // worker-a stalls past its 500 ms lease

        assertThat(one.get("/api/v1alpha1/lock/" + paused.text("id")).status()).isEqualTo(404);
        Http.Answer successor = two.post("/api/v1alpha1/lock", "{\"service\":\"ledger\",\"who\":\"worker-b\"}");
        assertThat(successor.status()).isEqualTo(201);
        long successorToken = successor.json().get("token").asLong();

        assertThat(successorToken).isGreaterThan(pausedToken);
        assertThat(store.write(successorToken, "worker-b's write")).isTrue();
        assertThat(store.write(pausedToken, "worker-a's late write")).as("worker-a's late write").isFalse();
        assertThat(one.get("/api/v1alpha1/unlock/" + paused.text("id")).status()).as("releasing an expired lock")
                .isEqualTo(404);
        two.get("/api/v1alpha1/unlock/" + successor.text("id"));
    }

    @Test
    void clientsOfBothInstancesRacingForAnExpiredLockLeaveExactlyOneHolder() throws Exception {
        Http.Answer expiring = one.post("/api/v1alpha1/lock",
                "{\"service\":\"nightly\",\"who\":\"crashed\",\"ttl\":\"300ms\"}");
        Thread.sleep(400); // past the lease

        int clients = 20;
        CyclicBarrier start = new CyclicBarrier(clients);
        ExecutorService pool = Executors.newFixedThreadPool(clients);
        try {
            List<Future<Http.Answer>> answers = new ArrayList<>();
            for (int c = 0; c < clients; c++) {
                Http instance = c % 2 == 0 ? one : two;
                String body = "{\"service\":\"nightly\",\"who\":\"taker-" + c + "\"}";
                answers.add(pool.submit(() -> {
                    start.await(10, TimeUnit.SECONDS);
                    return instance.post("/api/v1alpha1/lock", body);
                }));
            }
            List<Http.Answer> won = new ArrayList<>();
            for (Future<Http.Answer> answer : answers) {
                Http.Answer a = answer.get(30, TimeUnit.SECONDS);
                assertThat(a.status()).isIn(201, 409);
                if (a.status() == 201) {
                    won.add(a);
                }
            }
            assertThat(won).hasSize(1);
            assertThat(won.get(0).json().get("token").asLong())
                    .isGreaterThan(expiring.json().get("token").asLong());
            one.get("/api/v1alpha1/unlock/" + won.get(0).text("id"));
        } finally {
            pool.shutdownNow();
        }
    }

}
