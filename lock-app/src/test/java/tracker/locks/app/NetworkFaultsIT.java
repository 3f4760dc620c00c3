package tracker.locks.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.grpc.StatusRuntimeException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tracker.lock.v1alpha1.CreateLockRequest;
import tracker.lock.v1alpha1.UnLockRequest;
import tracker.locks.persistence.EmbeddedPostgresServer;
import tracker.locks.testkit.FaultyProxy;
import tracker.locks.testkit.GrpcLockClient;
import tracker.locks.testkit.LockClient;
import tracker.locks.testkit.RestLockClient;
import tracker.locks.testkit.ServerProcess;

/**
 * Two instances of the shipped jar on one PostgreSQL, instance A reaching it through a {@link FaultyProxy} the test
 * spoils, B directly, both on their default timeouts, under concurrent REST and gRPC clients on both: 200 ms of
 * added latency, a black hole longer than every timeout, and a cut in the middle of statements. Throughout: never
 * two holders of a key (the history and the guarded counter), every request to A answered — a success or 503 /
 * {@code UNAVAILABLE} — within {@link #ANSWER_BOUND}, B unaffected; after each fault A serves again by itself within
 * {@link #RECOVERY_BOUND}, its release listener listens again, and its waiters wake at once on releases through B.
 */
class NetworkFaultsIT {

    /**
     * The bound on any one request to A, whatever the network does: the socket timeout (statement timeout 5 s +
     * 2 s) for the statement in the hole, once more for the pool's check of a connection before it, and a margin.
     */
    static final Duration ANSWER_BOUND = Duration.ofSeconds(16);
    static final Duration RECOVERY_BOUND = Duration.ofSeconds(10);
    private static final Duration LATENCY = Duration.ofMillis(200);
    /** Longer than the answer bound: requests in the hole must be answered by the timeouts, not by its end. */
    private static final Duration HOLE = Duration.ofSeconds(18);
    private static final Duration LOAD = Duration.ofSeconds(6);
    private static final int CLIENTS = 8;
    private static final List<String> KEYS = List.of("deploy-a", "deploy-b", "migration");
    /** A wake-up by notification takes milliseconds; without one, a waiter polls once a second. */
    private static final Duration PROMPT_WAKE = Duration.ofMillis(300);

    private static FaultyProxy network;
    private static ServerProcess throughProxy;
    private static ServerProcess direct;
    private static final AtomicInteger ROUND = new AtomicInteger();
    /** What A may answer its probes during a fault: served, refused (503 / UNAVAILABLE), or outcome unknown. */
    private static final String[] ANSWERS_OF_A_FAULT = {"201", "200", "OK", "503", "UNAVAILABLE",
        "503 outcome unknown", "UNAVAILABLE outcome unknown"};

    @BeforeAll
    static void startInstances() throws Exception {
        String url = EmbeddedPostgresServer.newDatabaseUrl();
        int port = EmbeddedPostgresServer.port();
        network = FaultyProxy.start("127.0.0.1", port);
        String proxied = url.replace(":" + port + "/", ":" + network.port() + "/");
        throughProxy = ServerProcess.start("through-proxy", Map.of("DB_URL", proxied, "DB_USER", "postgres",
                "LOG_LEVEL", "WARN"));
        direct = ServerProcess.start("direct", Map.of("DB_URL", url, "DB_USER", "postgres", "LOG_LEVEL", "WARN"));
        throughProxy.awaitHealthy();
        direct.awaitHealthy();
    }

    @AfterAll
    static void stopInstances() throws InterruptedException {
        throughProxy.close();
        direct.close();
        network.close();
    }

    @AfterEach
    void healTheNetwork() {
        network.heal();
    }

    @Test
    void withAddedLatencyEveryRequestIsAnsweredAndNothingFails() throws Exception {
        network.delay(LATENCY);
        try (LockLoad load = load(); Probes probes = Probes.on(throughProxy)) {
            load.run(LOAD);
            probes.stop();

            System.out.println("200 ms latency: " + load.summary() + "; probes of A " + probes.summary());
            assertSafe(load);
            assertThat(load.unknownOutcomes()).isZero();
            assertThat(load.failuresOnSurvivors()).as("failures, A included").isZero();
            assertThat(probes.outcomes()).as("what A answered its probes").containsOnly("201", "200", "OK");
            assertThat(probes.fastest()).as("the latency was there: a statement's round trip at least")
                    .isGreaterThanOrEqualTo(LATENCY.multipliedBy(2));
            assertThat(probes.slowest()).isLessThan(ANSWER_BOUND);
        }
    }

    @Test
    void aBlackHoleIsAnswered503WithinTheBoundAndAHealedNetworkIsUsedAgainByItself() throws Exception {
        try (LockLoad load = load(); Probes probes = Probes.on(throughProxy)) {
            load.killed(0); // its clients' failures are expected: A's database is out of reach
            Thread hole = new Thread(() -> {
                try {
                    Thread.sleep(LOAD.toMillis() / 4);
                    network.blackHole();
                    Thread.sleep(HOLE.toMillis());
                    network.heal();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }, "black-hole");
            hole.start();
            int listenerDuringHole = awaitListenerAfter(LOAD.toMillis() / 4 + 100, 0, HOLE);
            hole.join();
            long healed = System.nanoTime();
            Duration recovered = probes.awaitSuccessSentAfter(healed, RECOVERY_BOUND);
            load.run(LOAD);
            probes.stop();

            System.out.println("black hole: " + load.summary() + "; probes of A " + probes.summary()
                    + "; A served again " + recovered.toMillis() + " ms after the network healed");
            assertSafe(load);
            assertThat(load.failuresOnSurvivors()).as("failures through B").isZero();
            assertThat(probes.outcomes()).as("what A answered its probes").isSubsetOf(ANSWERS_OF_A_FAULT)
                    .anyMatch(outcome -> outcome.startsWith("503")).anyMatch(o -> o.startsWith("UNAVAILABLE"));
            assertNothingHeldOf(probes.refusedKeys());
            assertThat(probes.slowest()).as("the slowest answer of A").isLessThan(ANSWER_BOUND);
            assertThat(listenerDuringHole).as("A's release listener noticed the hole").isZero();
            assertThat(recovered).isLessThan(RECOVERY_BOUND);
        }
        assertWaitersWakeOnReleasesElsewhere();
    }

    @Test
    void aCutInTheMiddleOfStatementsIsAnswered503AndTheNextRequestsAreServed() throws Exception {
        network.delay(Duration.ofMillis(300)); // every statement is in flight for 600 ms: the cut finds some
        try (LockLoad load = load(); Probes probes = Probes.on(throughProxy)) {
            load.killed(0);
            CompletableFuture<Integer> cut = CompletableFuture.supplyAsync(() -> {
                pause(LOAD.dividedBy(3));
                return network.cut();
            });
            load.run(LOAD);
            long afterCut = System.nanoTime();
            network.delay(Duration.ZERO);
            Duration recovered = probes.awaitSuccessSentAfter(afterCut, RECOVERY_BOUND);
            probes.stop();

            System.out.println("cut: " + cut.get() + " connections; " + load.summary() + "; probes of A "
                    + probes.summary());
            assertThat(cut.get()).as("connections cut").isPositive();
            assertSafe(load);
            assertThat(load.failuresOnSurvivors()).as("failures through B").isZero();
            assertThat(probes.outcomes()).isSubsetOf(ANSWERS_OF_A_FAULT);
            assertNothingHeldOf(probes.refusedKeys());
            assertThat(probes.slowest()).isLessThan(ANSWER_BOUND);
            assertThat(recovered).isLessThan(RECOVERY_BOUND);
        }
        assertWaitersWakeOnReleasesElsewhere();
    }

    /**
     * Clients waiting on A for keys held through B are answered within {@link #PROMPT_WAKE} of each release: the
     * release reached A's listener (a waiter without the notification polls once a second; five prompt wakes in a
     * row by chance are a 1-in-400 event).
     */
    private static void assertWaitersWakeOnReleasesElsewhere() throws Exception {
        assertThat(AdminMetrics.awaitReleaseNotifications(throughProxy, 1, RECOVERY_BOUND))
                .as("A listens for releases again").isEqualTo(1);
        Http onA = new Http(throughProxy.httpPort());
        Http onB = new Http(direct.httpPort());
        List<Long> wakes = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            String key = "wake-" + ROUND.incrementAndGet();
            String held = onB.post("/api/v1alpha1/lock", "{\"service\":\"" + key + "\",\"who\":\"holder\"}")
                    .text("id");
            CompletableFuture<Http.Answer> waiter = CompletableFuture.supplyAsync(() -> onA.post(
                    "/api/v1alpha1/lock", "{\"service\":\"" + key + "\",\"who\":\"waiter\",\"wait\":\"20s\"}"));
            awaitInLine(onB, key);
            long released = System.nanoTime();
            assertThat(onB.get("/api/v1alpha1/unlock/" + held).status()).isEqualTo(200);
            Http.Answer granted = waiter.get(30, TimeUnit.SECONDS);
            wakes.add(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - released));
            assertThat(granted.status()).isEqualTo(201);
            assertThat(onA.get("/api/v1alpha1/unlock/" + granted.text("id")).status()).isEqualTo(200);
        }
        System.out.println("waiters on A woken " + wakes + " ms after releases through B");
        assertThat(wakes).allMatch(millis -> millis < PROMPT_WAKE.toMillis());
    }

    /**
     * An acquisition answered 503 / UNAVAILABLE without "may have taken effect" took nothing: none of {@code keys}
     * is held (the probes' leases, 1 min, outlast the test).
     */
    private static void assertNothingHeldOf(Set<String> keys) {
        Set<String> held = new java.util.HashSet<>();
        new Http(direct.httpPort()).get("/api/v1alpha1/locks/list?per_page=1000").json().get("locks")
                .forEach(lock -> held.add(lock.get("service").asText()));
        System.out.println(keys.size() + " acquisitions refused without an unknown outcome, none may be held");
        held.retainAll(keys);
        assertThat(held).as("keys held that were answered 503 without an unknown outcome").isEmpty();
    }

    private static void awaitInLine(Http http, String key) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (http.get("/api/v1alpha1/locks/queue?service=" + key).json().get("total").asInt() < 1) {
            assertThat(System.nanoTime()).as("the waiter in line within 10 s").isLessThan(deadline);
            Thread.sleep(10); // the waiter's request is on its way into the line
        }
    }

    /** A's listener gauge, first read {@code afterMillis} from now, once it reads {@code expected} within bound. */
    private static int awaitListenerAfter(long afterMillis, int expected, Duration bound) throws Exception {
        Thread.sleep(afterMillis); // the hole opens then
        return AdminMetrics.awaitReleaseNotifications(throughProxy, expected, bound);
    }

    private static LockLoad load() {
        List<Function<ServerProcess, LockClient>> transports = List.of(
                instance -> new RestLockClient(instance.httpPort()),
                instance -> new GrpcLockClient(instance.grpcPort()));
        return new LockLoad(List.of(throughProxy, direct), transports, CLIENTS, KEYS);
    }

    private static void assertSafe(LockLoad load) {
        assertThat(load.history().violations()).as("acquisitions granted inside another holding").isEmpty();
        assertThat(load.counterTotal()).as("guarded counter vs acknowledged acquisitions")
                .isEqualTo(load.history().acquisitions());
        assertThat(load.history().acquisitions()).as("acquisitions").isPositive();
    }

    private static void pause(Duration duration) {
        try {
            Thread.sleep(duration.toMillis()); // the moment of the fault, amid the load
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * One REST and one gRPC client that take and release keys of their own on one instance, over and over, and
     * time every answer with clients that wait up to 60 s: what the server answers, and how long it takes, when
     * its database's network fails.
     */
    private static final class Probes implements AutoCloseable {

        private static final String OUTCOME_UNKNOWN = " outcome unknown";

        /** @param key the key an acquisition asked for; null for a release */
        private record Answer(String outcome, long sentNanos, long answeredNanos, String key) {
            Duration took() {
                return Duration.ofNanos(answeredNanos - sentNanos);
            }
        }

        private final List<Answer> answers = new CopyOnWriteArrayList<>();
        private final List<Thread> threads = new ArrayList<>();
        private final Grpc grpc;
        /** Names this probe's keys, so that a lock an earlier probe left held until its lease ends is no obstacle. */
        private final String round = "probe-" + ROUND.incrementAndGet();
        private volatile boolean stopped;

        private Probes(ServerProcess server) {
            Http http = new Http(server.httpPort());
            this.grpc = new Grpc(server.grpcPort());
            threads.add(new Thread(() -> probeRest(http), "rest-probe"));
            threads.add(new Thread(this::probeGrpc, "grpc-probe"));
            threads.forEach(Thread::start);
        }

        static Probes on(ServerProcess server) {
            return new Probes(server);
        }

        private void probeRest(Http http) {
            for (int i = 0; !stopped; i++) {
                String[] id = new String[1];
                int n = i;
                String key = round + "-rest-" + n;
                timed(key, () -> {
                    Http.Answer taken = http.post("/api/v1alpha1/lock",
                            "{\"service\":\"" + key + "\",\"who\":\"probe\",\"ttl\":\"1m\"}");
                    id[0] = taken.status() == 201 ? taken.text("id") : null;
                    return outcome(taken);
                });
                if (id[0] != null) {
                    timed(null, () -> outcome(http.get("/api/v1alpha1/unlock/" + id[0])));
                }
            }
        }

        private void probeGrpc() {
            for (int i = 0; !stopped; i++) {
                String[] id = new String[1];
                int n = i;
                String key = round + "-grpc-" + n;
                timed(key, () -> {
                    id[0] = grpc.locks().withDeadlineAfter(60, TimeUnit.SECONDS).createLock(
                            CreateLockRequest.newBuilder().setService(key).setWho("probe")
                                    .setTtl(com.google.protobuf.Duration.newBuilder().setSeconds(60)).build())
                            .getLock().getId();
                    return "OK";
                });
                if (id[0] != null) {
                    timed(null, () -> {
                        grpc.locks().withDeadlineAfter(60, TimeUnit.SECONDS)
                                .unLock(UnLockRequest.newBuilder().setId(id[0]).build());
                        return "OK";
                    });
                }
            }
        }

        /** A REST answer's status, and whether a 503 says the change may have taken effect. */
        private static String outcome(Http.Answer answer) {
            return answer.status() + ("unknown".equals(answer.text("outcome")) ? OUTCOME_UNKNOWN : "");
        }

        /** Runs one request, records what it was answered and when; pauses briefly after a failure. */
        private void timed(String key, java.util.function.Supplier<String> request) {
            long sent = System.nanoTime();
            String outcome;
            try {
                outcome = request.get();
            } catch (StatusRuntimeException e) {
                String description = String.valueOf(e.getStatus().getDescription());
                outcome = e.getStatus().getCode().name()
                        + (description.contains("may have taken effect") ? OUTCOME_UNKNOWN : "");
            } catch (UncheckedIOException e) {
                outcome = "no answer: " + e.getCause();
            }
            answers.add(new Answer(outcome, sent, System.nanoTime(), key));
            if (!Set.of("200", "201", "OK").contains(outcome)) {
                pause(Duration.ofMillis(100)); // as a client retrying a 503 would
            }
        }

        /** How long after {@code since} the first request sent after it succeeded; fails past the bound. */
        Duration awaitSuccessSentAfter(long since, Duration bound) throws InterruptedException {
            long deadline = since + 2 * bound.toNanos();
            while (System.nanoTime() < deadline) {
                long first = answers.stream().filter(a -> a.sentNanos() > since)
                        .filter(a -> Set.of("200", "201", "OK").contains(a.outcome()))
                        .mapToLong(Answer::answeredNanos).min().orElse(Long.MAX_VALUE);
                if (first != Long.MAX_VALUE) {
                    return Duration.ofNanos(first - since);
                }
                Thread.sleep(20); // the probes' own requests show when it serves again
            }
            throw new AssertionError("no probe served within " + 2 * bound.toSeconds() + " s: " + summary());
        }

        void stop() throws InterruptedException {
            stopped = true;
            for (Thread thread : threads) {
                thread.join(TimeUnit.SECONDS.toMillis(120));
            }
        }

        /** The keys of acquisitions answered 503 / UNAVAILABLE without "may have taken effect": nothing was taken. */
        Set<String> refusedKeys() {
            Set<String> keys = new java.util.TreeSet<>();
            answers.stream().filter(a -> a.key() != null && Set.of("503", "UNAVAILABLE").contains(a.outcome()))
                    .forEach(a -> keys.add(a.key()));
            return keys;
        }

        Set<String> outcomes() {
            Set<String> outcomes = new java.util.TreeSet<>();
            answers.forEach(answer -> outcomes.add(answer.outcome()));
            return outcomes;
        }

        Duration fastest() {
            return answers.stream().map(Answer::took).min(Duration::compareTo).orElseThrow();
        }

        Duration slowest() {
            return answers.stream().map(Answer::took).max(Duration::compareTo).orElseThrow();
        }

        String summary() {
            Map<String, Long> counts = new java.util.TreeMap<>();
            answers.forEach(answer -> counts.merge(answer.outcome(), 1L, Long::sum));
            return answers.size() + " answers " + counts + ", fastest " + fastest().toMillis() + " ms, slowest "
                    + slowest().toMillis() + " ms";
        }

        @Override
        public void close() throws InterruptedException {
            stop();
            grpc.close();
        }
    }
}
