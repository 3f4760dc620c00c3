package tracker.locks.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * The shipped server jar as a process of its own, configured through its environment variables exactly as in
 * production, its output in a log file. Stopped with SIGTERM (then SIGKILL if it does not exit); a shutdown hook kills
 * whatever is still running if the benchmark itself is interrupted.
 */
final class ServerProcess implements AutoCloseable {

    static final String HOST = "127.0.0.1";
    private static final Duration START_TIMEOUT = Duration.ofSeconds(90);
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(20);
    private static final Set<Process> RUNNING = ConcurrentHashMap.newKeySet();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> RUNNING.forEach(Process::destroyForcibly),
                "lock-bench-stop-servers"));
    }

    private final Process process;
    private final List<String> command;
    private final int httpPort;
    private final int grpcPort;
    private final int adminPort;
    private final Path log;

    private ServerProcess(Process process, List<String> command, int httpPort, int grpcPort, int adminPort,
                          Path log) {
        this.process = process;
        this.command = command;
        this.httpPort = httpPort;
        this.grpcPort = grpcPort;
        this.adminPort = adminPort;
        this.log = log;
    }

    /**
     * Starts the server on free ports with LOG_LEVEL=WARN, the pool at {@code poolSize} connections (minimum and
     * maximum) and {@code environment} (DB_URL etc.) on top. Does not wait for it: see {@link #awaitHealthy()}.
     */
    static ServerProcess start(Path jar, Path config, String heap, List<String> javaOptions, int poolSize,
                               Map<String, String> environment, Path log) {
        try {
            int http = freePort();
            int grpc = freePort();
            int admin = freePort();
            String java = ProcessHandle.current().info().command().orElse("java");
            List<String> command = new ArrayList<>();
            command.add(java);
            command.add("-Xmx" + heap);
            command.addAll(javaOptions);
            command.addAll(List.of("-jar", jar.toString(), "server", config.toString()));
            ProcessBuilder builder = new ProcessBuilder(command)
                    .redirectErrorStream(true)
                    .redirectOutput(log.toFile());
            Map<String, String> env = builder.environment();
            env.put("HTTP_PORT", Integer.toString(http));
            env.put("GRPC_PORT", Integer.toString(grpc));
            env.put("METRICS_PORT", Integer.toString(admin));
            env.put("DB_POOL_MIN_SIZE", Integer.toString(poolSize));
            env.put("DB_POOL_MAX_SIZE", Integer.toString(poolSize));
            env.put("LOG_LEVEL", "WARN");
            env.putAll(environment);
            Process process = builder.start();
            RUNNING.add(process);
            return new ServerProcess(process, List.copyOf(command), http, grpc, admin, log);
        } catch (IOException e) {
            throw new UncheckedIOException("could not start the server " + jar, e);
        }
    }

    /** Waits until the admin port's health check answers 200, or fails with the end of the server's log. */
    ServerProcess awaitHealthy() throws InterruptedException {
        HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("the server exited with status " + process.exitValue()
                        + "; the end of its log:\n" + logTail());
            }
            try {
                HttpResponse<Void> health = client.send(HttpRequest.newBuilder(adminUri("/healthcheck"))
                        .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.discarding());
                if (health.statusCode() == 200) {
                    return this;
                }
            } catch (IOException notListeningYet) {
                // still starting
            }
            Thread.sleep(200);
        }
        throw new IllegalStateException("the server was not healthy after " + START_TIMEOUT.toSeconds()
                + " s; the end of its log:\n" + logTail());
    }

    URI adminUri(String path) {
        return URI.create("http://" + HOST + ":" + adminPort + path);
    }

    int httpPort() {
        return httpPort;
    }

    int grpcPort() {
        return grpcPort;
    }

    ProcessHandle handle() {
        return process.toHandle();
    }

    List<String> command() {
        return command;
    }

    Path log() {
        return log;
    }

    long logBytes() {
        try {
            return Files.size(log);
        } catch (IOException e) {
            return -1;
        }
    }

    String logTail() {
        try {
            List<String> lines = Files.readAllLines(log);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
        } catch (IOException | UncheckedIOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    /** SIGTERM, then SIGKILL if it has not exited 20 s later. */
    @Override
    public void close() {
        try {
            if (process.isAlive()) {
                process.destroy();
                if (!process.waitFor(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                    process.destroyForcibly();
                    process.waitFor(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
                }
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
        RUNNING.remove(process);
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
