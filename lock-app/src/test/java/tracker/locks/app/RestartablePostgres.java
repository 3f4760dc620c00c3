package tracker.locks.app;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A PostgreSQL server of a test's own that can be stopped — cleanly, or as a crash — and started again on the same
 * port and data directory, to take the database away from a running instance and give it back.
 */
final class RestartablePostgres implements AutoCloseable {

    private final Path dataDirectory;
    private final int port;
    private final boolean durable;
    private EmbeddedPostgres server;

    /** A server with the embedded defaults: fsync and synchronous_commit off (fast, and enough for outages). */
    RestartablePostgres(Path dataDirectory) throws IOException {
        this(dataDirectory, false);
    }

    /**
     * @param durable whether commits are forced to disk before they return ({@code fsync}, {@code synchronous_commit}
     *                and {@code full_page_writes} on), as on a production server; needed for a test that crashes it
     */
    RestartablePostgres(Path dataDirectory, boolean durable) throws IOException {
        this.dataDirectory = dataDirectory;
        this.durable = durable;
        try (ServerSocket socket = new ServerSocket(0)) {
            this.port = socket.getLocalPort();
        }
    }

    void start() throws IOException {
        EmbeddedPostgres.Builder builder = EmbeddedPostgres.builder()
                .setDataDirectory(dataDirectory)
                .setCleanDataDirectory(false)
                .setPort(port);
        if (durable) {
            // After zonky's own "-F" (fsync off) on the command line, so these win.
            builder.setServerConfig("fsync", "on")
                    .setServerConfig("synchronous_commit", "on")
                    .setServerConfig("full_page_writes", "on");
        } else {
            builder.setServerConfig("fsync", "off");
        }
        server = builder.start();
    }

    /** Stops the server the way an outage does: its clients' connections break and new ones are refused. */
    void stop() throws IOException {
        server.close();
        server = null;
    }

    /**
     * Stops the server as {@code pg_ctl stop -m immediate} does — SIGQUIT to the postmaster: every process exits at
     * once, nothing is flushed or checkpointed, and the next start recovers from the write-ahead log as after a crash.
     */
    void crash() throws IOException, InterruptedException {
        long postmaster = Long.parseLong(Files.readAllLines(dataDirectory.resolve("postmaster.pid")).get(0).trim());
        ProcessHandle process = ProcessHandle.of(postmaster)
                .orElseThrow(() -> new IllegalStateException("no postmaster " + postmaster));
        Process kill = new ProcessBuilder("kill", "-QUIT", Long.toString(postmaster)).inheritIO().start();
        if (kill.waitFor() != 0) {
            throw new IllegalStateException("kill -QUIT " + postmaster + " failed");
        }
        try {
            process.onExit().get(30, TimeUnit.SECONDS);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("the postmaster did not exit after SIGQUIT", e);
        }
        // Lets go of zonky's own lock on the data directory; its pg_ctl stop finds nothing to stop and says so.
        server.close();
        server = null;
    }

    String jdbcUrl() {
        return "jdbc:postgresql://127.0.0.1:" + port + "/postgres";
    }

    @Override
    public void close() throws IOException {
        if (server != null) {
            stop();
        }
    }
}
