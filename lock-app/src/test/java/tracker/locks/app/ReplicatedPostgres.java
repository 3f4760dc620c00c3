package tracker.locks.app;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import tracker.locks.testkit.ServerProcess;

/**
 * A PostgreSQL primary with one streaming-replication standby that it commits to synchronously
 * ({@code synchronous_standby_names}, {@code synchronous_commit = on}): a commit returns only once the standby has
 * it. The primary can be killed as its machine dies, and the standby promoted, as a failover does.
 * <p>
 * The embedded binaries have no {@code pg_basebackup}, so the standby starts from a copy of the primary's data
 * directory taken while the primary is cleanly stopped, which is a valid base backup: same system, same timeline,
 * a shutdown checkpoint to start replaying from.
 */
final class ReplicatedPostgres implements AutoCloseable {

    private static final String STANDBY_NAME = "standby";
    private static final Duration SYNC_BOUND = Duration.ofSeconds(60);

    private final Path primaryData;
    private final int primaryPort;
    private final int standbyPort;
    private EmbeddedPostgres primary;
    private EmbeddedPostgres standby;

    private ReplicatedPostgres(Path primaryData, int primaryPort, int standbyPort) {
        this.primaryData = primaryData;
        this.primaryPort = primaryPort;
        this.standbyPort = standbyPort;
    }

    /**
     * Creates both servers under {@code directory}, starts them, and returns once the standby streams (and, when
     * {@code synchronous}, is the synchronous standby; otherwise replication is asynchronous, PostgreSQL's default).
     */
    static ReplicatedPostgres start(Path directory, boolean synchronous)
            throws IOException, SQLException, InterruptedException {
        int[] ports = ServerProcess.freePorts(2);
        Path primaryData = directory.resolve("primary");
        ReplicatedPostgres pair = new ReplicatedPostgres(primaryData, ports[0], ports[1]);
        Path standbyData = directory.resolve("standby");
        pair.primary = server(primaryData, pair.primaryPort); // initdb, start, so that it can be stopped cleanly
        pair.primary.close();
        copy(primaryData, standbyData);
        if (synchronous) {
            Files.writeString(primaryData.resolve("postgresql.auto.conf"),
                    "synchronous_standby_names = '" + STANDBY_NAME + "'\n", StandardOpenOption.APPEND);
        }
        Files.writeString(standbyData.resolve("postgresql.auto.conf"),
                "primary_conninfo = 'host=127.0.0.1 port=" + pair.primaryPort + " user=postgres application_name="
                        + STANDBY_NAME + "'\nhot_standby = on\n", StandardOpenOption.APPEND);
        Files.createFile(standbyData.resolve("standby.signal"));
        pair.primary = server(primaryData, pair.primaryPort);
        pair.standby = server(standbyData, pair.standbyPort);
        pair.awaitStandby(synchronous ? "sync" : "async");
        return pair;
    }

    /**
     * The service's URL for the pair, as production writes it: both hosts, and the driver connects only to the one
     * that is the primary now.
     */
    String multiHostUrl() {
        return "jdbc:postgresql://127.0.0.1:" + primaryPort + ",127.0.0.1:" + standbyPort
                + "/postgres?targetServerType=primary";
    }

    /** Kills the primary as its machine dies: SIGKILL to the postmaster and every backend, connections reset. */
    void killPrimary() throws IOException, InterruptedException {
        long pid = Long.parseLong(Files.readAllLines(primaryData.resolve("postmaster.pid")).get(0).trim());
        ProcessHandle postmaster = ProcessHandle.of(pid)
                .orElseThrow(() -> new IllegalStateException("no postmaster " + pid));
        List<ProcessHandle> all = Stream.concat(Stream.of(postmaster), postmaster.descendants()).toList();
        all.forEach(ProcessHandle::destroyForcibly);
        for (ProcessHandle process : all) {
            process.onExit().orTimeout(30, TimeUnit.SECONDS).join();
        }
        primary.close(); // zonky's own lock on the directory; its pg_ctl stop finds nothing left to stop
        primary = null;
    }

    /** Promotes the standby and returns once it accepts writes. */
    void promoteStandby() throws SQLException {
        try (Connection connection = DriverManager.getConnection(standbyUrl(), "postgres", "");
             Statement statement = connection.createStatement();
             ResultSet promoted = statement.executeQuery("SELECT pg_promote(true, 60)")) {
            promoted.next();
            if (!promoted.getBoolean(1)) {
                throw new IllegalStateException("the standby was not promoted within 60 s");
            }
        }
    }

    /** The commit level the primary runs with, as its clients see it. */
    String primarySetting(String name) throws SQLException {
        try (Connection connection = DriverManager.getConnection(primaryUrl(), "postgres", "");
             Statement statement = connection.createStatement();
             ResultSet setting = statement.executeQuery("SELECT current_setting('" + name + "')")) {
            setting.next();
            return setting.getString(1);
        }
    }

    private void awaitStandby(String syncState) throws SQLException, InterruptedException {
        Instant deadline = Instant.now().plus(SYNC_BOUND);
        try (Connection connection = DriverManager.getConnection(primaryUrl(), "postgres", "");
             Statement statement = connection.createStatement()) {
            while (true) {
                try (ResultSet state = statement.executeQuery("SELECT sync_state FROM pg_stat_replication"
                        + " WHERE application_name = '" + STANDBY_NAME + "'")) {
                    if (state.next() && syncState.equals(state.getString(1))) {
                        return;
                    }
                }
                if (Instant.now().isAfter(deadline)) {
                    throw new IllegalStateException("the standby did not stream (" + syncState + ") within " + SYNC_BOUND);
                }
                Thread.sleep(100); // the standby connects to the primary by itself, within a second or two
            }
        }
    }

    private String primaryUrl() {
        return "jdbc:postgresql://127.0.0.1:" + primaryPort + "/postgres";
    }

    private String standbyUrl() {
        return "jdbc:postgresql://127.0.0.1:" + standbyPort + "/postgres";
    }

    private static EmbeddedPostgres server(Path data, int port) throws IOException {
        // fsync stays off (zonky's default): the test kills processes, not the machine, so what a commit wrote is
        // in the operating system's cache either way; what it proves is that a commit waits for the standby.
        Path log = Path.of("target", "replicated-postgres-" + data.getFileName() + ".log").toAbsolutePath();
        try {
            // zonky's defaults put synchronous_commit=off on the command line, over any file: with it, a commit
            // returns before even the primary's log has it, let alone the standby's (tried: 3 to 6 answered writes
            // of 250 to 490 lost in each failover). "on" makes a commit wait for the synchronous standby.
            return EmbeddedPostgres.builder().setDataDirectory(data).setCleanDataDirectory(false).setPort(port)
                    .setServerConfig("synchronous_commit", "on")
                    .setOutputRedirector(ProcessBuilder.Redirect.appendTo(log.toFile()))
                    .setErrorRedirector(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
        } catch (IOException e) {
            throw new IOException(e.getMessage() + "; its log:\n" + Files.readString(log), e);
        }
    }

    private static void copy(Path from, Path to) throws IOException {
        try (Stream<Path> files = Files.walk(from)) {
            for (Path file : (Iterable<Path>) files::iterator) {
                Path target = to.resolve(from.relativize(file).toString());
                String name = file.getFileName().toString();
                if (name.equals("postmaster.pid") || name.startsWith("epg-lock")) {
                    continue;
                }
                // COPY_ATTRIBUTES: PostgreSQL refuses a data directory others may read (0700 or 0750 only).
                if (!Files.isDirectory(file) || !Files.exists(target)) {
                    Files.copy(file, target, java.nio.file.StandardCopyOption.COPY_ATTRIBUTES);
                }
            }
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
    }

    @Override
    public void close() throws IOException {
        if (standby != null) {
            standby.close();
        }
        if (primary != null) {
            primary.close();
        }
    }
}
