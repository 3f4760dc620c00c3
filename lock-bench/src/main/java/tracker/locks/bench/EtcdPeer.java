package tracker.locks.bench;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import tracker.locks.testkit.ServerProcess;

/**
 * The peer the issue measures us against: a single-member etcd (Debian's {@code etcd-server}) started for the run on
 * loopback with a data directory of its own on the machine's disk and etcd's own defaults — its write-ahead log is
 * forced to the disk on every commit, as PostgreSQL's is with {@code fsync} and {@code synchronous_commit} on.
 */
final class EtcdPeer implements AutoCloseable {

    private static final Duration START_TIMEOUT = Duration.ofSeconds(30);
    private static final Duration STOP_GRACE = Duration.ofSeconds(10);

    private final Process process;
    private final int clientPort;
    private final String version;

    private EtcdPeer(Process process, int clientPort, String version) {
        this.process = process;
        this.clientPort = clientPort;
        this.version = version;
    }

    /** The etcd binary on the PATH (Debian installs it as /usr/bin/etcd), if any. */
    static Optional<Path> find() {
        String path = System.getenv().getOrDefault("PATH", "/usr/bin:/bin");
        for (String directory : path.split(java.io.File.pathSeparator)) {
            Path candidate = Path.of(directory.isEmpty() ? "." : directory, "etcd");
            if (Files.isExecutable(candidate)) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }

    /** Starts a fresh one-member cluster in {@code directory} and waits until it answers its health check. */
    static EtcdPeer start(Path binary, Path directory) throws IOException, InterruptedException {
        Files.createDirectories(directory);
        String version = versionOf(binary);
        int clientPort = ServerProcess.freePort();
        int peerPort = ServerProcess.freePort();
        String client = "http://" + ServerProcess.HOST + ":" + clientPort;
        String peer = "http://" + ServerProcess.HOST + ":" + peerPort;
        Process process = new ProcessBuilder(binary.toString(),
                "--name", "bench",
                "--data-dir", directory.resolve("data").toString(),
                "--listen-client-urls", client,
                "--advertise-client-urls", client,
                "--listen-peer-urls", peer,
                "--initial-advertise-peer-urls", peer,
                "--initial-cluster", "bench=" + peer,
                "--initial-cluster-state", "new")
                .redirectErrorStream(true)
                .redirectOutput(directory.resolve("etcd.log").toFile())
                .start();
        EtcdPeer etcd = new EtcdPeer(process, clientPort, version);
        try {
            etcd.awaitHealthy();
        } catch (IOException | InterruptedException | RuntimeException e) {
            etcd.close();
            throw e;
        }
        return etcd;
    }

    String endpoint() {
        return "http://" + ServerProcess.HOST + ":" + clientPort;
    }

    ProcessHandle handle() {
        return process.toHandle();
    }

    String description() {
        return "etcd " + version + " (one member on " + endpoint() + ", its own defaults: the WAL forced to the disk"
                + " on every commit), driven through its gRPC Lock/Unlock API by jetcd";
    }

    private void awaitHealthy() throws IOException, InterruptedException {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
        HttpRequest health = HttpRequest.newBuilder(URI.create(endpoint() + "/health"))
                .timeout(Duration.ofSeconds(2)).build();
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("etcd exited with status " + process.exitValue()
                        + " while starting; see its log");
            }
            try {
                HttpResponse<String> answer = http.send(health, HttpResponse.BodyHandlers.ofString());
                if (answer.statusCode() == 200 && answer.body().contains("\"true\"")) {
                    return;
                }
            } catch (IOException notYet) {
                // not listening yet
            }
            Thread.sleep(100);
        }
        throw new IllegalStateException("etcd did not become healthy within " + START_TIMEOUT.toSeconds() + " s");
    }

    private static String versionOf(Path binary) throws IOException, InterruptedException {
        Process version = new ProcessBuilder(binary.toString(), "--version").redirectErrorStream(true).start();
        List<String> lines = new String(version.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8)
                .lines().toList();
        version.waitFor(10, TimeUnit.SECONDS);
        return lines.stream().filter(line -> line.startsWith("etcd Version:"))
                .map(line -> line.substring("etcd Version:".length()).trim())
                .findFirst().orElse("(unknown version)");
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(STOP_GRACE.toSeconds(), TimeUnit.SECONDS)) {
            process.destroyForcibly();
            process.waitFor(STOP_GRACE.toSeconds(), TimeUnit.SECONDS);
        }
    }
}
