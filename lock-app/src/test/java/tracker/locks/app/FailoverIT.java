package tracker.locks.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tracker.locks.testkit.LockClient;
import tracker.locks.testkit.RestLockClient;
import tracker.locks.testkit.ServerProcess;

/**
 * The shipped jar on a PostgreSQL primary with a synchronous standby, reached through a multi-host URL
 * ({@code targetServerType=primary}), under concurrent REST and gRPC clients: the primary is killed as its machine
 * dies, and a moment later the standby is promoted. Meanwhile every request is answered 503 / {@code UNAVAILABLE}
 * (none hangs, none is a 500); once promoted, the new primary serves by itself within {@link #SERVING_BOUND}; every
 * acquisition and release answered before, during and after the switch is still what it was answered, the lock
 * history agrees, and fencing tokens only go up.
 */
class FailoverIT {

    /** The bound: serving from the new primary, by itself, this soon after the promotion. */
    private static final Duration SERVING_BOUND = Duration.ofSeconds(15);
    private static final int CLIENTS = 6;
    private static final int HELD_BEFORE = 20;
    /** Load before the kill, and on the new primary after it serves. */
    private static final Duration LOAD = Duration.ofSeconds(3);
    /** What a failover tool takes to decide: the primary is gone this long before the standby is promoted. */
    private static final Duration UNDECIDED = Duration.ofSeconds(1);

    /**
     * {@code -Dfailover.asynchronous=true} runs the same test on asynchronous replication (no
     * {@code synchronous_standby_names}, PostgreSQL's default), to see by hand what that loses: it is expected to fail.
     */
    private static final boolean ASYNCHRONOUS = Boolean.getBoolean("failover.asynchronous");

    @TempDir
    Path directory;

    @Test
    void killingThePrimaryAndPromotingTheStandbyLosesNothingAnsweredAndTokensGoOnUp() throws Exception {
        try (ReplicatedPostgres postgres = ReplicatedPostgres.start(directory, !ASYNCHRONOUS)) {
            assertThat(postgres.primarySetting("synchronous_standby_names")).isEqualTo(ASYNCHRONOUS ? "" : "standby");
            assertThat(postgres.primarySetting("synchronous_commit")).isEqualTo("on");
            ServerProcess server = ServerProcess.start("failover", Map.of("DB_URL", postgres.multiHostUrl(),
                    "DB_USER", "postgres", "LOG_LEVEL", "WARN")).awaitHealthy();
            try (RestLockClient reader = new RestLockClient(server.httpPort())) {
                AnsweredWrites answers = new AnsweredWrites();
                holdBefore(answers, reader);
                CrashLoad load = new CrashLoad(answers, "failover", server, CLIENTS, true);
                load.start(Duration.ofMinutes(2));
                Thread.sleep(LOAD.toMillis()); // clients acquire, renew and release on the first primary

                long killed = System.nanoTime();
                postgres.killPrimary();
                Thread.sleep(UNDECIDED.toMillis()); // no primary at all: the clients are answered 503
                postgres.promoteStandby();
                long promoted = System.nanoTime();
                Duration serving = awaitAcquisitionSentAfter(load, promoted);
                Thread.sleep(LOAD.toMillis()); // the clients go on, on the new primary
                load.stop();
                load.awaitStopped();

                System.out.printf("failover: %d acquisitions answered, serving %d ms after the promotion,"
                                + " failures %s; release notifications %s%n", answers.acquisitions(),
                        serving.toMillis(), load.failures(), AdminMetrics.releaseNotifications(server));
                assertThat(serving).as("serving from the new primary after the promotion").isLessThan(SERVING_BOUND);
                assertThat(load.failures()).as("what the clients were answered during the switch").isNotEmpty()
                        .containsOnlyKeys("HTTP 503", "UNAVAILABLE");
                assertThat(load.surprises()).isEmpty();
                assertThat(answers.contradictedBy(reader)).as("answers contradicted after the failover").isEmpty();
                assertThat(answers.historyContradictedBy(id -> AnsweredWrites.historyOver(new Http(server.httpPort()),
                        id))).as("history contradicting the answers after the failover").isEmpty();
                assertThat(load.tokensGoingBack()).as("fencing tokens across the failover").isEmpty();
                assertThat(load.acquisitions()).as("acquisitions answered before the kill")
                        .anyMatch(acquisition -> acquisition.answeredNanos() < killed)
                        .as("acquisitions sent after the promotion")
                        .anyMatch(acquisition -> acquisition.sentNanos() > promoted);
                assertThat(answers.count(AnsweredWrites.State.RELEASED)).isPositive();
                LockClient.AcquireAnswer fresh = reader.acquire("failover-probe", "probe");
                assertThat(fresh.token()).as("a new token after the failover").isGreaterThan(answers.highestToken());
                assertThat(AdminMetrics.awaitReleaseNotifications(server, 1, SERVING_BOUND))
                        .as("the release listener on the new primary")
                        .isEqualTo(1);
            } finally {
                server.close();
            }
        }
    }

    /** Locks taken and kept before the failover, as in the trial by hand: all must still be held after it. */
    private static void holdBefore(AnsweredWrites answers, RestLockClient client) {
        for (int i = 0; i < HELD_BEFORE; i++) {
            LockClient.AcquireAnswer taken = client.acquire("held-before-failover-" + i, "before");
            assertThat(taken.outcome()).isEqualTo(LockClient.Outcome.ACQUIRED);
            answers.acquired(taken.id(), taken.token(), taken.expiresAt());
        }
    }

    /** How long after {@code promoted} the first acquisition sent after it was answered; fails past the bound. */
    private static Duration awaitAcquisitionSentAfter(CrashLoad load, long promoted) throws InterruptedException {
        long deadline = promoted + 2 * SERVING_BOUND.toNanos();
        while (System.nanoTime() < deadline) {
            long first = load.acquisitions().stream().filter(acquisition -> acquisition.sentNanos() > promoted)
                    .mapToLong(CrashLoad.Acquisition::answeredNanos).min().orElse(Long.MAX_VALUE);
            if (first != Long.MAX_VALUE) {
                return Duration.ofNanos(first - promoted);
            }
            Thread.sleep(20); // the clients' own requests show when it serves again
        }
        throw new AssertionError("no acquisition answered within " + 2 * SERVING_BOUND.toSeconds()
                + " s of the promotion; failures: " + load.failures());
    }
}
