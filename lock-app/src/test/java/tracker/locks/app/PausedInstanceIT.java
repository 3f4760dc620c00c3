package tracker.locks.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import tracker.locks.persistence.EmbeddedPostgresServer;
import tracker.locks.testkit.GrpcLockClient;
import tracker.locks.testkit.LockClient;
import tracker.locks.testkit.RestLockClient;
import tracker.locks.testkit.ServerProcess;

/**
 * An instance paused (SIGSTOP, as a frozen VM or container) for longer than its timeouts, with requests in flight
 * and a client waiting through it first in a key's line, then resumed (SIGCONT), while concurrent clients go on
 * through another instance: never two holders (the history and the guarded counter over both instances, and the
 * waiter's grant after the other's release), the line moves on without the paused waiter, the other instance never
 * fails, and the resumed instance serves again by itself.
 */
class PausedInstanceIT {

    /** Longer than a waiter's place in line lasts unrenewed (3 s) and the statement timeout (5 s). */
    private static final Duration PAUSE = Duration.ofSeconds(8);
    private static final Duration RECOVERY_BOUND = Duration.ofSeconds(10);
    private static final Duration LOAD = Duration.ofSeconds(16);
    private static final int CLIENTS = 8;
    private static final List<String> KEYS = List.of("deploy-a", "deploy-b", "migration");

    @Test
    void aPausedInstanceGrantsNothingTwiceAndServesAgainWhenResumed() throws Exception {
        Map<String, String> env = Map.of("DB_URL", EmbeddedPostgresServer.newDatabaseUrl(), "DB_USER", "postgres",
                "LOG_LEVEL", "WARN");
        try (ServerProcess paused = ServerProcess.start("paused", env);
             ServerProcess other = ServerProcess.start("other", env)) {
            paused.awaitHealthy();
            other.awaitHealthy();
            Http onPaused = new Http(paused.httpPort());
            Http onOther = new Http(other.httpPort());
            String held = onOther.post("/api/v1alpha1/lock", "{\"service\":\"line\",\"who\":\"holder\"}").text("id");
            CompletableFuture<Http.Answer> frozenWaiter = CompletableFuture.supplyAsync(() -> onPaused.post(
                    "/api/v1alpha1/lock", "{\"service\":\"line\",\"who\":\"frozen-waiter\",\"wait\":\"40s\"}"));
            awaitWaiting(onOther, 1);
            CompletableFuture<Http.Answer> liveWaiter = CompletableFuture.supplyAsync(() -> onOther.post(
                    "/api/v1alpha1/lock", "{\"service\":\"line\",\"who\":\"live-waiter\",\"wait\":\"40s\"}"));
            awaitWaiting(onOther, 2);

            try (LockLoad load = new LockLoad(List.of(paused, other), transports(), CLIENTS, KEYS)) {
                load.killed(0); // its clients' failures are expected: it answers nothing while paused
                Thread pauser = new Thread(() -> pauseDuringLoad(paused, onOther, held), "pauser");
                pauser.start();
                load.run(LOAD);
                pauser.join();

                System.out.println("paused instance: " + load.summary());
                assertThat(load.history().violations()).as("acquisitions granted inside another holding").isEmpty();
                assertThat(load.counterTotal()).isEqualTo(load.history().acquisitions());
                assertThat(load.failuresOnSurvivors()).as("failures through the other instance").isZero();
                assertThat(load.history().acquisitions()).isGreaterThan(KEYS.size() * 10);
            }

            // The line did not wait for the frozen waiter: the live one, behind it, got the key while it was paused.
            Http.Answer live = liveWaiter.get(30, TimeUnit.SECONDS);
            assertThat(live.status()).as("the waiter behind the paused one").isEqualTo(201);
            long liveReleaseSent = System.nanoTime();
            assertThat(frozenWaiter).as("the paused waiter, while the live one holds the key").isNotDone();
            assertThat(onOther.get("/api/v1alpha1/unlock/" + live.text("id")).status()).isEqualTo(200);
            Http.Answer frozen = frozenWaiter.get(60, TimeUnit.SECONDS);
            System.out.println("the paused waiter was answered " + frozen.status() + " "
                    + TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - liveReleaseSent) + " ms after the live"
                    + " waiter's release was sent");
            assertThat(frozen.status()).as("the paused waiter, once the key is free again").isIn(201, 409);

            Duration served = awaitServing(onPaused);
            System.out.println("the resumed instance served again within " + served.toMillis() + " ms");
            assertThat(served).isLessThan(RECOVERY_BOUND);
        }
    }

    /**
     * A quarter into the load: pauses the instance, releases the line's key through the other one meanwhile (the
     * frozen waiter first in line cannot take it), and resumes it {@link #PAUSE} later.
     */
    private static void pauseDuringLoad(ServerProcess paused, Http onOther, String held) {
        try {
            Thread.sleep(LOAD.toMillis() / 4);
            paused.pause();
            try {
                Thread.sleep(PAUSE.toMillis() / 2);
                onOther.get("/api/v1alpha1/unlock/" + held);
                Thread.sleep(PAUSE.toMillis() / 2);
            } finally {
                paused.resume();
            }
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static void awaitWaiting(Http http, int waiters) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (http.get("/api/v1alpha1/locks/queue?service=line").json().get("total").asInt() < waiters) {
            assertThat(System.nanoTime()).as(waiters + " waiters in line within 10 s").isLessThan(deadline);
            Thread.sleep(10); // the waiter's request is on its way into the line
        }
    }

    private static Duration awaitServing(Http http) throws InterruptedException {
        long start = System.nanoTime();
        for (int i = 0; ; i++) {
            Http.Answer answer = http.post("/api/v1alpha1/lock", "{\"service\":\"after-pause-" + i
                    + "\",\"who\":\"probe\"}");
            if (answer.status() == 201) {
                return Duration.ofNanos(System.nanoTime() - start);
            }
            assertThat(System.nanoTime() - start).as("serving again").isLessThan(RECOVERY_BOUND.toNanos());
            Thread.sleep(100); // a retrying client
        }
    }

    private static List<Function<ServerProcess, LockClient>> transports() {
        return List.of(instance -> new RestLockClient(instance.httpPort()),
                instance -> new GrpcLockClient(instance.grpcPort()));
    }
}
