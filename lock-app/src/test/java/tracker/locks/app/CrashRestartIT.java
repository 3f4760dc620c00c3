package tracker.locks.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tracker.locks.testkit.LockClient;
import tracker.locks.testkit.RestLockClient;
import tracker.locks.testkit.ServerProcess;

/**
 * The shipped jar, killed with SIGKILL at a random moment while concurrent clients acquire, renew and release (or
 * just after they stopped), and started again on the same database, round after round: every start succeeds, and
 * the restarted server keeps every answer the killed one gave (an acquisition answered and not released is held,
 * with its token and last answered lease; an answered release stays released), and its fencing tokens are greater
 * than every token answered before.
 * On the embedded default (H2 under {@code ./data/}), also killed while it starts in some rounds, and on PostgreSQL
 * with its durability on, which is also crashed itself ({@code -m immediate}) in some rounds. At the end the lock
 * history agrees with every answer too.
 */
class CrashRestartIT {

    /**
     * H2 rounds go on until the store is well past H2's 45 s retention, after which it writes into freed space (H2
     * 2.5.252 lost answers from its 10th kill on, round 13 here, the database about a minute old): at least this
     * many rounds, and for at least {@link #H2_STORE_AGE}. (A fixed 30 rounds took eight minutes on a machine whose
     * starts take 10 s.)
     */
    private static final int H2_MIN_ROUNDS = 16;
    private static final Duration H2_STORE_AGE = Duration.ofSeconds(150);
    /** Every third crashes PostgreSQL itself too. */
    private static final int POSTGRES_ROUNDS = 9;
    private static final int CLIENTS = 4;
    /** A client stops at its server's death; this bounds a round whose kill never came. */
    private static final Duration ROUND_BOUND = Duration.ofSeconds(30);

    @TempDir
    Path workingDirectory;

    @Test
    void theEmbeddedDefaultKeepsEveryAnswerThroughSigkillAndAlwaysStartsAgain() throws Exception {
        AnsweredWrites answers = new AnsweredWrites();
        Instant first = Instant.now();
        for (int round = 0; round < H2_MIN_ROUNDS
                || Duration.between(first, Instant.now()).compareTo(H2_STORE_AGE) < 0; round++) {
            if (round % 4 == 0) {
                // Round 0 on an empty directory: killed while it creates the database and its schema.
                killWhileStarting("crash-h2-starting-" + round);
            }
            // No DB_URL: the default configuration, its H2 files under ./data/ of the working directory.
            ServerProcess server = ServerProcess.start("crash-h2-" + round, Map.of("LOG_LEVEL", "WARN"),
                    workingDirectory).awaitHealthy();
            runRound(answers, "h2-" + round, server, () -> { });
        }
        ServerProcess last = ServerProcess.start("crash-h2-final", Map.of("LOG_LEVEL", "WARN"), workingDirectory)
                .awaitHealthy();
        try {
            assertKept(answers, last, "after the last kill");
            assertHistoryKept(answers, last);
        } finally {
            last.close();
        }
        assertThat(Files.exists(workingDirectory.resolve("data").resolve("tracker.mv.db"))).isTrue();
        assertLoadWasReal(answers);
    }

    @Test
    void postgresWithDurabilityOnKeepsEveryAnswerThroughKillsOfTheServerAndOfPostgres() throws Exception {
        AnsweredWrites answers = new AnsweredWrites();
        try (RestartablePostgres postgres = new RestartablePostgres(workingDirectory.resolve("pg"), true)) {
            postgres.start();
            assertDurable(postgres);
            Map<String, String> env = Map.of("DB_URL", postgres.jdbcUrl(), "DB_USER", "postgres",
                    "LOG_LEVEL", "WARN");
            for (int round = 0; round < POSTGRES_ROUNDS; round++) {
                ServerProcess server = ServerProcess.start("crash-pg-" + round, env).awaitHealthy();
                if (round == 0) {
                    assertThat(server.log()).as("no durability warning on a durable PostgreSQL")
                            .doesNotContain("would not survive");
                }
                boolean crashDatabase = round % 3 == 2;
                runRound(answers, "pg-" + round, server, () -> {
                    if (crashDatabase) {
                        postgres.crash();
                    }
                });
                if (crashDatabase) {
                    postgres.start();
                }
            }
            ServerProcess last = ServerProcess.start("crash-pg-final", env).awaitHealthy();
            try {
                assertKept(answers, last, "after the last kill");
                assertHistoryKept(answers, last);
            } finally {
                last.close();
            }
        }
        assertLoadWasReal(answers);
    }

    /** Starts a server on the default database and kills it at a random moment of its start-up (JVM, H2, schema). */
    private void killWhileStarting(String name) throws Exception {
        ServerProcess starting = ServerProcess.start(name, Map.of("LOG_LEVEL", "WARN"), workingDirectory);
        Thread.sleep(ThreadLocalRandom.current().nextLong(500, 4_000)); // the random moment of the crash
        starting.kill();
    }

    /** Something the test does to the database just before the server is killed. */
    @FunctionalInterface
    private interface BeforeKill {
        void run() throws Exception;
    }

    /**
     * Checks the freshly started {@code server} against every answer so far, then loads it and kills it (SIGKILL) at a
     * random moment, 0.2 to 1.5 s into the load.
     */
    private static void runRound(AnsweredWrites answers, String round, ServerProcess server, BeforeKill beforeKill)
            throws Exception {
        try {
            assertKept(answers, server, "in round " + round);
            long tokensBefore = answers.highestToken();
            CrashLoad load = new CrashLoad(answers, round, server, CLIENTS);
            ThreadLocalRandom random = ThreadLocalRandom.current();
            long loadMillis = random.nextLong(200, 1_500);
            if (random.nextInt(3) == 0) {
                // The clients stop by themselves, and the server dies a moment later, idle, its last answer given.
                load.start(Duration.ofMillis(loadMillis));
                load.awaitStopped();
                Thread.sleep(random.nextLong(0, 300)); // the random moment of the crash
                beforeKill.run();
                server.kill();
            } else {
                load.start(ROUND_BOUND);
                Thread.sleep(loadMillis); // the random moment of the crash, amid requests
                beforeKill.run();
                server.kill();
                load.awaitStopped();
            }
            assertThat(load.surprises()).as("answers no server may give, round " + round).isEmpty();
            assertThat(load.lowestToken()).as("tokens of round " + round + " above every earlier one")
                    .isGreaterThan(tokensBefore);
        } finally {
            server.close();
        }
    }

    /**
     * The lock history of the restarted server holds what the killed ones answered: written in the same transaction
     * as each change, it survives the crash exactly as the locks do.
     */
    private static void assertHistoryKept(AnsweredWrites answers, ServerProcess server) {
        Http http = new Http(server.httpPort());
        assertThat(answers.historyContradictedBy(id -> AnsweredWrites.historyOver(http, id)))
                .as("history contradicting the answers after the last kill").isEmpty();
    }

    /** The restarted server says what the killed ones answered, and can be asked about all of it. */
    private static void assertKept(AnsweredWrites answers, ServerProcess server, String when) {
        try (RestLockClient reader = new RestLockClient(server.httpPort())) {
            assertThat(answers.contradictedBy(reader)).as("answers contradicted " + when).isEmpty();
            // A fresh acquisition draws a token above every token answered before the crash.
            LockClient.AcquireAnswer fresh = reader.acquire("token-probe-" + System.nanoTime(), "probe");
            assertThat(fresh.outcome()).isEqualTo(LockClient.Outcome.ACQUIRED);
            assertThat(fresh.token()).as("first token " + when).isGreaterThan(answers.highestToken());
            assertThat(reader.release(fresh.id())).isEqualTo(LockClient.ReleaseAnswer.RELEASED);
        }
    }

    private static void assertLoadWasReal(AnsweredWrites answers) {
        System.out.printf("crash loop: %d acquisitions answered, %d still held, %d released, %d releases and %d"
                        + " renewals unanswered%n", answers.acquisitions(), answers.count(AnsweredWrites.State.HELD),
                answers.count(AnsweredWrites.State.RELEASED),
                answers.count(AnsweredWrites.State.RELEASE_UNANSWERED),
                answers.count(AnsweredWrites.State.RENEWAL_UNANSWERED));
        assertThat(answers.count(AnsweredWrites.State.HELD)).as("held locks checked after crashes").isPositive();
        assertThat(answers.count(AnsweredWrites.State.RELEASED)).as("releases checked after crashes").isPositive();
    }

    private static void assertDurable(RestartablePostgres postgres) throws Exception {
        try (Connection connection = DriverManager.getConnection(postgres.jdbcUrl(), "postgres", "");
             Statement statement = connection.createStatement();
             ResultSet settings = statement.executeQuery(
                     "SELECT current_setting('fsync'), current_setting('synchronous_commit')")) {
            settings.next();
            assertThat(settings.getString(1)).as("fsync").isEqualTo("on");
            assertThat(settings.getString(2)).as("synchronous_commit").isEqualTo("on");
        }
    }
}
