package tracker.locks.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tracker.locks.client.LockClient;
import tracker.locks.client.LockInfo;
import tracker.locks.testkit.ServerProcess;

/** {@code tracker-lock run} as built, against the shipped server, both as real processes. */
class TrackerLockIT {

    private static final Duration AT_MOST = Duration.ofSeconds(30);

    @TempDir
    static Path data;
    private static ServerProcess server;
    private static LockClient locks;

    @TempDir
    Path directory;

    @BeforeAll
    static void startServer() throws Exception {
        server = ServerProcess.start("cli-server", Map.of("DB_URL",
                "jdbc:h2:file:" + data.resolve("tracker").toAbsolutePath() + ";DB_CLOSE_ON_EXIT=FALSE")).awaitHealthy();
        locks = LockClient.builder(URI.create(url(server))).build();
    }

    @AfterAll
    static void stopServer() throws Exception {
        locks.close();
        server.close();
    }

    @Test
    void theCommandsOwnExitStatusPassesThroughAndTheLockIsReleased() throws Exception {
        try (Cli zero = cli("run", "exit-status-0", "--", "true");
             Cli three = cli("run", "exit-status-3", "-c", "echo through a shell; exit 3");
             Cli killed = cli("run", "exit-status-137", "--", "sh", "-c", "kill -9 $$")) {
            assertThat(zero.exit()).isZero();
            assertThat(three.exit()).isEqualTo(3);
            assertThat(three.out()).isEqualTo("through a shell\n");
            assertThat(killed.exit()).as("128 + SIGKILL").isEqualTo(137);
        }
        assertThat(locks.list()).extracting(LockInfo::service).noneMatch(service -> service.startsWith("exit-status"));
    }

    @Test
    void theCommandGetsTheLocksIdTokenAndServiceAndWhoDefaultsFromTheCi() throws Exception {
        Map<String, String> github = Map.of("GITHUB_REPOSITORY", "acme/web", "GITHUB_RUN_ID", "4711");
        try (Cli run = cli(github, "run", "environment", "-c",
                "echo $TRACKER_LOCK_ID $TRACKER_LOCK_TOKEN $TRACKER_LOCK_SERVICE; "
                        + System.getProperty("tracker.lock") + " get $TRACKER_LOCK_ID")) {
            assertThat(run.exit()).isZero();
            String[] lines = run.out().split("\n");
            String[] variables = lines[0].split(" ");
            assertThat(variables[0]).matches("[0-9a-f-]{36}");
            assertThat(Long.parseLong(variables[1])).isPositive();
            assertThat(variables[2]).isEqualTo("environment");
            assertThat(lines[1]).contains("\"who\":\"acme/web#4711\"").contains("\"token\":" + variables[1]);
        }
    }

    @Test
    void aSecondRunOfTheSameServiceExits75WithoutRunningAndNamesTheHolderOrWaitsWithWait() throws Exception {
        Path marker = directory.resolve("second-ran");
        try (Cli first = cli(Map.of(), "run", "--who", "first-pipeline", "deploy", "--", "sleep", "3")) {
            awaitTrue(() -> !held("deploy").isEmpty(), "the first run holds the lock");
            try (Cli second = cli("run", "deploy", "--", "touch", marker.toString());
                 Cli patient = cli("run", "--wait", "10m", "--ttl", "10s", "deploy", "-c", "echo ran after the first")) {
                assertThat(second.exit()).isEqualTo(75);
                assertThat(second.err()).contains("deploy is locked by first-pipeline since");
                assertThat(marker).doesNotExist();

                assertThat(first.exit()).isZero();
                assertThat(patient.exit()).isZero();
                assertThat(patient.out()).isEqualTo("ran after the first\n");
                assertThat(patient.err()).contains("deploy is locked by first-pipeline").contains("waiting up to 600s");
            }
        }
        try (Cli custom = cli("run", "--conflict-exit-code", "0", "deploy", "--", "true")) {
            assertThat(custom.exit()).isZero();
        }
    }

    @Test
    void sigtermToTheCliReachesTheCommandsTrapAndTheLockIsReleasedAfterItExits() throws Exception {
        Path trapped = directory.resolve("trapped");
        try (Cli run = cli("run", "sigterm", "-c", "trap 'echo trapped > " + trapped + "; exit 143' TERM;"
                + " sleep 60 & wait")) {
            awaitTrue(() -> !held("sigterm").isEmpty(), "the command runs under the lock");
            Thread.sleep(300); // let the shell install its trap after the lock was taken
            ProcessHandle.of(run.pid()).orElseThrow().destroy(); // SIGTERM

            assertThat(run.exit()).isEqualTo(143);
            assertThat(Files.readString(trapped)).isEqualTo("trapped\n");
        }
        assertThat(held("sigterm")).as("released after the command exited").isEmpty();
    }

    @Test
    void aForceReleaseStopsTheCommandAndItsGrandchildWithinTheGraceAndExits70() throws Exception {
        Path grandchild = directory.resolve("grandchild.pid");
        try (Cli run = cli("run", "--ttl", "3s", "--kill-grace", "1s", "force-released", "-c",
                "trap '' TERM; sh -c 'trap \"\" TERM; echo $$ > " + grandchild + "; while true; do sleep 1; done' & wait")) {
            awaitTrue(() -> Files.exists(grandchild) && !held("force-released").isEmpty(), "the grandchild runs");
            long grandchildPid = Long.parseLong(Files.readString(grandchild).strip());
            Instant released = Instant.now();
            assertThat(locks.release(held("force-released").get(0).id())).isTrue();

            assertThat(run.exitWithin(Duration.ofSeconds(10))).isEqualTo(70);
            // one renewal interval (1s) to notice, then the 1s grace before SIGKILL
            assertThat(Duration.between(released, Instant.now())).isLessThan(Duration.ofSeconds(5));
            assertThat(run.err()).contains("lost the lock on force-released");
            awaitTrue(() -> ProcessHandle.of(grandchildPid).map(p -> !p.isAlive()).orElse(true),
                    "the grandchild, which ignores SIGTERM, is killed");
        }
    }

    @Test
    void aServerThatCannotBeReachedAtTheStartIs69AndTheCommandNeverRuns() throws Exception {
        Path marker = directory.resolve("ran");
        try (Cli run = Cli.start(directory, Map.of("TRACKER_URL", "http://127.0.0.1:" + ServerProcess.freePort()),
                "run", "nowhere", "--", "touch", marker.toString())) {
            assertThat(run.exit()).isEqualTo(69);
            assertThat(run.err()).contains("cannot reach the lock server");
        }
        assertThat(marker).doesNotExist();
    }

    @Test
    void theServerKilledWhileTheCommandRunsStopsItOnceTheLeasePassedAndExits70(@TempDir Path ownData)
            throws Exception {
        try (ServerProcess doomed = ServerProcess.start("cli-doomed", Map.of("DB_URL",
                "jdbc:h2:file:" + ownData.resolve("tracker").toAbsolutePath() + ";DB_CLOSE_ON_EXIT=FALSE"))
                .awaitHealthy();
             Cli run = Cli.start(directory, Map.of("TRACKER_URL", url(doomed)),
                     "run", "--ttl", "2s", "--kill-grace", "1s", "doomed", "-c", "touch started; sleep 60")) {
            // The command's own mark, not the server's list: the list shows the lock before its answer reaches the
            // CLI, and a server killed in between is a failed acquire (69), not a lost lock.
            awaitTrue(() -> Files.exists(directory.resolve("started")), "the command runs under the lock");
            Instant killed = Instant.now();
            doomed.kill();

            assertThat(run.exitWithin(Duration.ofSeconds(15))).as(run.err()).isEqualTo(70);
            assertThat(Duration.between(killed, Instant.now())).as("within the lease and the grace")
                    .isLessThan(Duration.ofSeconds(6));
            assertThat(run.err()).contains("passed without a successful renewal");
        }
    }

    @Test
    void badUsageIs64AndNamesTheProblem() throws Exception {
        try (Cli noCommand = cli("run", "svc");
             Cli badTtl = cli("run", "--ttl", "soon", "svc", "--", "true");
             Cli unknown = cli("frobnicate")) {
            assertThat(noCommand.exit()).isEqualTo(64);
            assertThat(noCommand.err()).contains("run needs a command");
            assertThat(badTtl.exit()).isEqualTo(64);
            assertThat(badTtl.err()).contains("--ttl must be a duration such as 500ms, 30s, 2m or 1h, got soon");
            assertThat(unknown.exit()).isEqualTo(64);
            assertThat(unknown.err()).contains("unknown command frobnicate");
        }
    }

    @Test
    void acquireGetRenewListAndReleaseFromAShell() throws Exception {
        String id;
        try (Cli acquire = cli("acquire", "-q", "--ttl", "1m", "--who", "cron", "nightly-report")) {
            assertThat(acquire.exit()).isZero();
            id = acquire.out().strip();
        }
        try (Cli get = cli("get", id); Cli renew = cli("renew", id, "--ttl", "10m"); Cli list = cli("list")) {
            assertThat(get.exit()).isZero();
            assertThat(get.out()).contains("\"id\":\"" + id + "\"").contains("\"who\":\"cron\"");
            assertThat(renew.exit()).isZero();
            assertThat(list.exit()).isZero();
            assertThat(list.out()).startsWith("SERVICE").contains("nightly-report").contains("cron").contains(id);
        }
        try (Cli release = cli("release", id)) {
            assertThat(release.exit()).isZero();
        }
        try (Cli again = cli("release", id); Cli gone = cli("get", id)) {
            assertThat(again.exit()).isEqualTo(1);
            assertThat(gone.exit()).isEqualTo(1);
            assertThat(gone.err()).contains("no lock is held under " + id);
        }
    }

    private Cli cli(String... args) {
        return cli(Map.of(), args);
    }

    private Cli cli(Map<String, String> env, String... args) {
        Map<String, String> withServer = new HashMap<>(env);
        withServer.put("TRACKER_URL", url(server));
        return Cli.start(directory, withServer, args);
    }

    private static java.util.List<LockInfo> held(String service) {
        return locks.list().stream().filter(lock -> lock.service().equals(service)).toList();
    }

    private static String url(ServerProcess instance) {
        return "http://127.0.0.1:" + instance.httpPort();
    }

    private static void awaitTrue(BooleanSupplier condition, String what) throws InterruptedException {
        Instant deadline = Instant.now().plus(AT_MOST);
        while (!condition.getAsBoolean()) {
            assertThat(Instant.now()).as(what + " within " + AT_MOST).isBefore(deadline);
            Thread.sleep(50); // polling real processes and a real server
        }
    }
}
