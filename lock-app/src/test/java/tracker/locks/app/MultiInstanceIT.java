package tracker.locks.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tracker.locks.persistence.EmbeddedPostgresServer;
import tracker.locks.testkit.GrpcLockClient;
import tracker.locks.testkit.LockClient;
import tracker.locks.testkit.RestLockClient;
import tracker.locks.testkit.ServerProcess;

/**
 * Three instances of the shipped jar on one PostgreSQL, under 30 concurrent clients over REST and gRPC: never two
 * holders, no lost update, and an instance killed with SIGKILL takes nothing with it.
 */
class MultiInstanceIT {

    private static final int INSTANCES = 3;
    private static final int CLIENTS = 30;
    private static final List<String> KEYS = List.of("deploy-a", "deploy-b", "migration", "nightly-report");
    /** How long each load runs; the whole class takes about a minute on two cores. */
    private static final Duration LOAD = Duration.ofSeconds(8);

    private final List<ServerProcess> instances = new ArrayList<>();

    @BeforeEach
    void startInstancesTogether() throws InterruptedException {
        // One new database, three instances starting at the same moment: Liquibase's lock lets one migrate.
        Map<String, String> env = Map.of("DB_URL", EmbeddedPostgresServer.newDatabaseUrl(), "DB_USER", "postgres",
                "LOG_LEVEL", "WARN");
        IntStream.range(0, INSTANCES).forEach(i -> instances.add(ServerProcess.start("instance-" + i, env)));
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
    void concurrentClientsOnThreeInstancesNeverShareAKeyAndLoseNoUpdate() throws Exception {
        try (LockLoad load = new LockLoad(instances, transports(), CLIENTS, KEYS)) {
            load.run(LOAD);

            System.out.println("steady load: " + load.summary());
            assertSafe(load);
            assertThat(load.unknownOutcomes()).isZero();
            assertThat(load.failuresOnSurvivors()).isZero();
        }
        // The tests' PostgreSQL runs without fsync, for speed: every instance says once what that costs.
        for (ServerProcess instance : instances) {
            assertThat(instance.log()).containsOnlyOnce("PostgreSQL runs with fsync=off, synchronous_commit=off:"
                    + " locks this server acknowledges would not survive a crash of the database");
        }
    }

    @Test
    void killingAnInstanceUnderLoadLosesNoLockAndTheOthersGoOnServing() throws Exception {
        ServerProcess victim = instances.get(2);
        RestLockClient throughVictim = new RestLockClient(victim.httpPort());
        List<String> takenThroughVictim = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            LockClient.AcquireAnswer taken = throughVictim.acquire("kept-" + i, "holder-on-victim");
            assertThat(taken.outcome()).isEqualTo(LockClient.Outcome.ACQUIRED);
            takenThroughVictim.add(taken.id());
        }
        try (LockLoad load = new LockLoad(instances, transports(), CLIENTS, KEYS)) {
            killDuringLoad(load, victim);
            System.out.println("load with SIGKILL: " + load.summary());
            assertSafe(load);
            assertThat(load.failuresOnSurvivors()).isZero();
            assertThat(load.acquisitionsAfterKill()).as("acquisitions through the survivors after the kill")
                    .isPositive();
        }
        RestLockClient reader = new RestLockClient(instances.get(0).httpPort());
        RestLockClient releaser = new RestLockClient(instances.get(1).httpPort());
        for (int i = 0; i < takenThroughVictim.size(); i++) {
            assertThat(reader.acquire("kept-" + i, "someone-else").outcome()).isEqualTo(LockClient.Outcome.HELD);
            assertThat(releaser.release(takenThroughVictim.get(i))).isEqualTo(LockClient.ReleaseAnswer.RELEASED);
            assertThat(reader.acquire("kept-" + i, "someone-else").outcome())
                    .isEqualTo(LockClient.Outcome.ACQUIRED);
        }
    }

    /**
     * Two keys, each a semaphore of two places, under the same load and an instance SIGKILL: never a third holder
     * (the history's check for certain overlaps, and the clients' own count of holders), and two at once do happen.
     */
    @Test
    void aLimitOfTwoNeverHasMoreThanTwoHoldersUnderLoadAndAKill() throws Exception {
        try (LockLoad load = new LockLoad(instances, transports(), CLIENTS, List.of("deploys-a", "deploys-b"), 2)) {
            killDuringLoad(load, instances.get(2));
            System.out.println("semaphore load with SIGKILL: " + load.summary() + ", at most "
                    + load.mostHoldersAtOnce() + " holders of a key at once");

            assertThat(load.history().violations(2)).as("acquisitions granted while two others held").isEmpty();
            assertThat(load.mostHoldersAtOnce()).as("holders of a key at once, as the clients counted").isEqualTo(2);
            assertThat(load.history().acquisitions()).isGreaterThan(20);
            assertThat(load.conflicts()).as("conflicts: the places were contended").isPositive();
            assertThat(load.failuresOnSurvivors()).isZero();
        }
    }

    /** Runs the load and, a third of the way in, kills the victim (instance 2) with SIGKILL. */
    private static void killDuringLoad(LockLoad load, ServerProcess victim) throws InterruptedException {
        Thread killer = new Thread(() -> {
            try {
                Thread.sleep(LOAD.toMillis() / 3);
                load.killed(2);
                victim.kill();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "killer");
        killer.start();

        load.run(LOAD);
        killer.join();
    }

    private static void assertSafe(LockLoad load) {
        assertThat(load.history().violations()).as("acquisitions granted inside another holding").isEmpty();
        assertThat(load.counterTotal()).as("guarded counter vs acknowledged acquisitions")
                .isEqualTo(load.history().acquisitions());
        assertThat(load.history().acquisitions()).as("acquisitions").isGreaterThan(KEYS.size() * 10);
        assertThat(load.conflicts()).as("conflicts: the keys were contended").isPositive();
    }

    private static List<Function<ServerProcess, LockClient>> transports() {
        return List.of(instance -> new RestLockClient(instance.httpPort()),
                instance -> new GrpcLockClient(instance.grpcPort()));
    }
}
