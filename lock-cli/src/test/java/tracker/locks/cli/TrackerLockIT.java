package tracker.locks.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tracker.locks.client.LockClient;
import tracker.locks.client.LockInfo;
import tracker.locks.client.LockMode;
import tracker.locks.client.WaitingClient;
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
            assertThat(row(list.out(), "ID", id)).containsEntry("WHO", "cron").containsEntry("MODE", "exclusive")
                    .containsEntry("WAITERS", "0");
            assertThat(get.out()).as("get tells how many wait").contains("\"waiters\":0");
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

    @Test
    void twoRunsWithLimit2HoldTheKeyAtOnceWhileAThirdIsRefusedOrWaitsInLineAsListAndQueueShow() throws Exception {
        Path gate = directory.resolve("gate");
        Path marker = directory.resolve("third-ran");
        try (Cli first = cli("run", "--limit", "2", "--who", "deploy-a", "two-deploys", "-c", untilExists(gate));
             Cli second = cli("run", "--limit", "2", "--who", "deploy-b", "two-deploys", "-c", untilExists(gate))) {
            awaitTrue(() -> held("two-deploys").size() == 2, "both runs hold the key at once");
            assertThat(held("two-deploys")).extracting(LockInfo::limit).containsOnly(2);

            try (Cli third = cli("run", "--limit", "2", "two-deploys", "--", "touch", marker.toString());
                 Cli otherLimit = cli("run", "--limit", "3", "two-deploys", "--", "touch", marker.toString())) {
                assertThat(third.exit()).isEqualTo(75);
                // the two runs started together: either may be the older holder
                assertThat(third.err()).contains("two-deploys is locked by 2 holders (limit 2): deploy-")
                        .contains("deploy-a since").contains("deploy-b since");
                assertThat(otherLimit.exit()).isEqualTo(75);
                assertThat(otherLimit.err()).contains("every holder of a key must ask for the same limit, and this"
                        + " one asked for --limit 3");
            }
            assertThat(marker).as("a refused run never starts the command").doesNotExist();

            try (Cli waiting = cli("run", "--limit", "2", "--wait", "1m", "--who", "deploy-c", "two-deploys", "-c",
                    "echo ran third")) {
                awaitTrue(() -> !locks.queue("two-deploys").isEmpty(), "the third run waits in line");
                try (Cli queue = cli("queue", "two-deploys"); Cli list = cli("list")) {
                    assertThat(queue.exit()).as(queue.err()).isZero();
                    assertThat(row(queue.out(), "WHO", "deploy-c")).containsEntry("SERVICE", "two-deploys")
                            .containsEntry("POSITION", "1").containsEntry("MODE", "limit 2");
                    assertThat(list.exit()).as(list.err()).isZero();
                    assertThat(list.out().lines().findFirst().orElseThrow()).contains("MODE").contains("WAITERS");
                    for (String holder : List.of("deploy-a", "deploy-b")) {
                        assertThat(row(list.out(), "WHO", holder)).containsEntry("SERVICE", "two-deploys")
                                .containsEntry("MODE", "limit 2").containsEntry("WAITERS", "1");
                    }
                }
                assertThat(waiting.isAlive()).as("no place is free yet").isTrue();

                Files.createFile(gate);

                assertThat(first.exit()).isZero();
                assertThat(second.exit()).isZero();
                assertThat(waiting.exit()).isZero();
                assertThat(waiting.out()).isEqualTo("ran third\n");
                assertThat(waiting.err()).contains("two-deploys is locked by 2 holders (limit 2)")
                        .contains("waiting up to 60s").contains("locked two-deploys (limit 2, lock id");
            }
        }
        assertThat(held("two-deploys")).as("every place released").isEmpty();
    }

    @Test
    void aSharedRunAndAnExclusiveRunExcludeEachOtherWhileSharedRunsHoldTogether() throws Exception {
        Path readersDone = directory.resolve("readers-done");
        Path migrationDone = directory.resolve("migration-done");
        Path marker = directory.resolve("refused-ran");
        try (Cli reader = cli("run", "--shared", "--who", "reader-1", "orders-db", "-c", untilExists(readersDone));
             Cli other = cli("run", "--shared", "--who", "reader-2", "orders-db", "-c", untilExists(readersDone))) {
            awaitTrue(() -> held("orders-db").size() == 2, "both shared runs hold the key together");
            assertThat(held("orders-db")).extracting(LockInfo::mode).containsOnly(LockMode.SHARED);
            try (Cli migration = cli("run", "--who", "migration", "orders-db", "--", "touch", marker.toString())) {
                assertThat(migration.exit()).isEqualTo(75);
                assertThat(migration.err()).contains("orders-db is locked by 2 shared holders: reader-")
                        .contains("reader-1 since").contains("reader-2 since");
            }
            Files.createFile(readersDone);
            assertThat(reader.exit()).isZero();
            assertThat(other.exit()).isZero();
        }
        try (Cli migration = cli("run", "--who", "migration", "orders-db", "-c", untilExists(migrationDone))) {
            awaitTrue(() -> held("orders-db").stream().anyMatch(lock -> lock.who().equals("migration")),
                    "the exclusive run holds the key");
            try (Cli reader = cli("run", "--shared", "orders-db", "--", "touch", marker.toString())) {
                assertThat(reader.exit()).isEqualTo(75);
                assertThat(reader.err()).contains("orders-db is locked by migration since");
            }
            try (Cli patient = cli("run", "--shared", "--wait", "1m", "--who", "reader-3", "orders-db", "-c",
                    "echo read after the migration")) {
                awaitTrue(() -> !locks.queue("orders-db").isEmpty(), "the shared run waits in line");
                assertThat(locks.queue("orders-db")).extracting(WaitingClient::mode).containsExactly(LockMode.SHARED);
                try (Cli queue = cli("queue", "orders-db")) {
                    assertThat(queue.exit()).isZero();
                    assertThat(row(queue.out(), "WHO", "reader-3")).containsEntry("MODE", "shared")
                            .containsEntry("POSITION", "1");
                }
                Files.createFile(migrationDone);
                assertThat(migration.exit()).isZero();
                assertThat(patient.exit()).isZero();
                assertThat(patient.out()).isEqualTo("read after the migration\n");
            }
        }
        assertThat(marker).as("neither refused run started its command").doesNotExist();
    }

    @Test
    void acquireTakesASemaphoresPlaceOrASharedOne() throws Exception {
        try (Cli one = cli("acquire", "--limit", "2", "--ttl", "1m", "--who", "a", "acquired-twice");
             Cli reader = cli("acquire", "--shared", "--ttl", "1m", "--who", "r", "acquired-shared")) {
            assertThat(one.exit()).as(one.err()).isZero();
            assertThat(one.out()).contains("\"who\":\"a\"").contains("\"limit\":2");
            assertThat(reader.exit()).as(reader.err()).isZero();
            assertThat(reader.out()).contains("\"mode\":\"shared\"");
        }
        try (Cli two = cli("acquire", "--limit", "2", "--ttl", "1m", "--who", "b", "acquired-twice")) {
            assertThat(two.exit()).as(two.err()).isZero();
        }
        try (Cli three = cli("acquire", "--limit", "2", "--ttl", "1m", "acquired-twice")) {
            assertThat(three.exit()).isEqualTo(75);
            assertThat(three.err()).contains("acquired-twice is locked by 2 holders (limit 2): a since");
        }
        for (String service : List.of("acquired-twice", "acquired-shared")) {
            held(service).forEach(lock -> locks.release(lock.id()));
        }
    }

    @Test
    void aLimitOutsideOneToAThousandOrSharedWithALimitIsAUsageErrorAndNothingRuns() throws Exception {
        Path marker = directory.resolve("ran");
        Map<String, List<String>> badUsage = new LinkedHashMap<>();
        for (String limit : List.of("0", "1001", "abc")) {
            badUsage.put("--limit must be a whole number from 1 to 1000, got " + limit,
                    List.of("run", "--limit", limit, "bad-limit", "--", "touch", marker.toString()));
        }
        badUsage.put("--shared and --limit 2 do not go together",
                List.of("run", "--shared", "--limit", "2", "bad-limit", "--", "touch", marker.toString()));
        badUsage.put("--limit must be a whole number from 1 to 1000, got -3",
                List.of("acquire", "--limit=-3", "bad-limit"));
        Map<String, Cli> runs = new LinkedHashMap<>();
        try {
            badUsage.forEach((problem, args) -> runs.put(problem, cli(args.toArray(String[]::new))));
            for (Map.Entry<String, Cli> run : runs.entrySet()) {
                assertThat(run.getValue().exit()).as(run.getKey()).isEqualTo(64);
                assertThat(run.getValue().err()).contains("tracker-lock: " + run.getKey())
                        .contains("Try: tracker-lock --help").doesNotContain("Exception");
            }
        } finally {
            runs.values().forEach(Cli::close);
        }
        assertThat(marker).doesNotExist();
        assertThat(held("bad-limit")).isEmpty();
    }

    /** A shell command that holds its lock until {@code file} exists (the test's signal to end it). */
    private static String untilExists(Path file) {
        return "while [ ! -e '" + file + "' ]; do sleep 0.1; done";
    }

    /**
     * The row of a table the CLI printed whose {@code column} is {@code value}, by the header's column names: each
     * cell starts where its column's name starts in the header.
     */
    private static Map<String, String> row(String table, String column, String value) {
        List<String> lines = table.lines().toList();
        List<String> names = new ArrayList<>();
        List<Integer> starts = new ArrayList<>();
        Matcher name = Pattern.compile("\\S+").matcher(lines.get(0));
        while (name.find()) {
            names.add(name.group());
            starts.add(name.start());
        }
        starts.add(Integer.MAX_VALUE);
        for (String line : lines.subList(1, lines.size())) {
            Map<String, String> cells = new LinkedHashMap<>();
            for (int i = 0; i < names.size(); i++) {
                int start = Math.min(starts.get(i), line.length());
                cells.put(names.get(i), line.substring(start, Math.min(starts.get(i + 1), line.length())).strip());
            }
            if (value.equals(cells.get(column))) {
                return cells;
            }
        }
        throw new AssertionError("no row with " + column + " " + value + " in:\n" + table);
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
