package tracker.locks.testkit;

import java.io.File;
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
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * The shipped fat jar running as a process of its own, configured by environment variables exactly as in
 * production, so it can be killed with SIGKILL or stopped with SIGTERM like a real instance.
 */
public final class ServerProcess implements AutoCloseable {

    /** Every instance listens on, and is reached at, the loopback address. */
    public static final String HOST = "127.0.0.1";
    private static final Duration START_TIMEOUT = Duration.ofSeconds(90);
    /** The JVM options of a test instance: small and quick to start, many instances run one after the other. */
    private static final List<String> TEST_JAVA_OPTIONS = List.of("-Xmx256m", "-XX:+UseSerialGC",
            "-XX:TieredStopAtLevel=1");
    private static final Set<Process> RUNNING = ConcurrentHashMap.newKeySet();

    static {
        // An interrupted test run or benchmark leaves no server behind.
        Runtime.getRuntime().addShutdownHook(new Thread(() -> RUNNING.forEach(Process::destroyForcibly),
                "stop-server-processes"));
    }

    private final String name;
    private final Process process;
    private final int httpPort;
    private final int adminPort;
    private final int grpcPort;
    private final Path log;
    /** How long close() lets the instance shut down after SIGTERM; null: close() is SIGKILL. */
    private final Duration closeGrace;

    private ServerProcess(String name, Process process, int httpPort, int adminPort, int grpcPort, Path log,
                          Duration closeGrace) {
        this.name = name;
        this.process = process;
        this.httpPort = httpPort;
        this.adminPort = adminPort;
        this.grpcPort = grpcPort;
        this.log = log;
        this.closeGrace = closeGrace;
    }

    /** Starts an instance on free ports; {@code env} adds settings such as DB_URL. Does not wait for it. */
    public static ServerProcess start(String name, Map<String, String> env) {
        return start(name, env, null);
    }

    /**
     * Starts an instance on free ports in {@code workingDirectory} (the build's when null), where the default
     * embedded database lives ({@code ./data/}). Does not wait for it.
     */
    public static ServerProcess start(String name, Map<String, String> env, Path workingDirectory) {
        return start(name, env, workingDirectory, List.of("server", System.getProperty("tracker.config")));
    }

    /** Starts {@code java -jar tracker.jar arguments…} on free ports in {@code workingDirectory}. */
    public static ServerProcess start(String name, Map<String, String> env, Path workingDirectory,
                                      List<String> arguments) {
        String jar = System.getProperty("tracker.jar");
        if (jar == null || !new File(jar).isFile()) {
            throw new IllegalStateException("tracker.jar not built; integration tests run after package: " + jar);
        }
        try {
            Path logs = Files.createDirectories(Path.of(System.getProperty("java.io.tmpdir"), "instance-logs"));
            return launch(name, Path.of(jar), TEST_JAVA_OPTIONS, arguments, env, workingDirectory,
                    logs.resolve(name + ".log"), null);
        } catch (IOException e) {
            throw new UncheckedIOException("could not start instance " + name, e);
        }
    }

    /**
     * Starts {@code java javaOptions… -jar jar arguments…} on free ports (HTTP_PORT, GRPC_PORT, METRICS_PORT, then
     * {@code env} on top), its output in {@code log}. Does not wait for it.
     *
     * @param workingDirectory where it runs (the default embedded database is under its {@code ./data/}); null: here
     * @param closeGrace       how long {@link #close()} lets it shut down after SIGTERM; null: close() is SIGKILL
     */
    public static ServerProcess launch(String name, Path jar, List<String> javaOptions, List<String> arguments,
                                       Map<String, String> env, Path workingDirectory, Path log,
                                       Duration closeGrace) {
        try {
            int[] ports = freePorts(3);
            int http = ports[0];
            int admin = ports[1];
            int grpc = ports[2];
            String java = ProcessHandle.current().info().command().orElse("java");
            List<String> command = new ArrayList<>(List.of(java));
            command.addAll(javaOptions);
            command.addAll(List.of("-jar", jar.toString()));
            command.addAll(arguments);
            ProcessBuilder builder = new ProcessBuilder(command)
                    .redirectErrorStream(true)
                    .redirectOutput(log.toFile());
            if (workingDirectory != null) {
                builder.directory(workingDirectory.toFile());
            }
            builder.environment().put("HTTP_PORT", Integer.toString(http));
            builder.environment().put("METRICS_PORT", Integer.toString(admin));
            builder.environment().put("GRPC_PORT", Integer.toString(grpc));
            builder.environment().putAll(env);
            Process process = builder.start();
            RUNNING.add(process);
            return new ServerProcess(name, process, http, admin, grpc, log, closeGrace);
        } catch (IOException e) {
            throw new UncheckedIOException("could not start instance " + name, e);
        }
    }

    /** Waits until the instance answers its health check, or fails with the end of its log. */
    public ServerProcess awaitHealthy() throws InterruptedException {
        return awaitHealthy(HttpClient.newHttpClient(), "http");
    }

    /** The same, for an instance whose admin port speaks TLS: through a client that trusts its CA. */
    public ServerProcess awaitHealthyOverTls(javax.net.ssl.SSLContext trust) throws InterruptedException {
        return awaitHealthy(HttpClient.newBuilder().sslContext(trust).build(), "https");
    }

    private ServerProcess awaitHealthy(HttpClient client, String scheme) throws InterruptedException {
        Instant deadline = Instant.now().plus(START_TIMEOUT);
        while (Instant.now().isBefore(deadline)) {
            if (!process.isAlive()) {
                throw new IllegalStateException(name + " exited with " + process.exitValue() + ":\n" + logTail());
            }
            try {
                HttpResponse<Void> health = client.send(HttpRequest.newBuilder(
                        URI.create(scheme + "://127.0.0.1:" + adminPort + "/healthcheck")).build(),
                        HttpResponse.BodyHandlers.discarding());
                if (health.statusCode() == 200) {
                    return this;
                }
            } catch (IOException notYetListening) {
                // the process is still starting
            }
            Thread.sleep(200); // polling a starting process; each try is a real request
        }
        throw new IllegalStateException(name + " not healthy after " + START_TIMEOUT + ":\n" + logTail());
    }

    public int httpPort() {
        return httpPort;
    }

    public int adminPort() {
        return adminPort;
    }

    public int grpcPort() {
        return grpcPort;
    }

    /** A URI of the admin port (plain HTTP), e.g. {@code adminUri("/metrics")}. */
    public URI adminUri(String path) {
        return URI.create("http://" + HOST + ":" + adminPort + path);
    }

    /** The process, for its CPU time and its children. */
    public ProcessHandle handle() {
        return process.toHandle();
    }

    /** How much the instance has written to its output so far; -1 when the log cannot be read. */
    public long logBytes() {
        try {
            return Files.size(log);
        } catch (IOException e) {
            return -1;
        }
    }

    /** SIGKILL: the process dies at once, mid-request, without any clean-up. */
    public void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(30, TimeUnit.SECONDS);
    }

    /** SIGTERM: asks the instance to shut down gracefully. */
    public void terminate() {
        process.destroy();
    }

    public boolean awaitExit(Duration timeout) throws InterruptedException {
        return process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    public int exitCode() {
        return process.exitValue();
    }

    public String logTail() {
        try {
            List<String> lines = Files.readAllLines(log);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    public String log() throws IOException {
        return Files.readString(log);
    }

    /** SIGKILL (tests), or SIGTERM and SIGKILL if the instance has not exited within its close grace. */
    @Override
    public void close() throws InterruptedException {
        try {
            if (process.isAlive() && closeGrace != null) {
                terminate();
                awaitExit(closeGrace);
            }
            if (process.isAlive()) {
                kill();
            }
        } finally {
            RUNNING.remove(process);
        }
    }

    /**
     * {@code count} different free ports: all sockets are open at once, so the system cannot hand out one port
     * twice (asked one after the other, a REST and a gRPC port once came out the same).
     */
    public static int[] freePorts(int count) throws IOException {
        List<ServerSocket> sockets = new ArrayList<>();
        try {
            int[] ports = new int[count];
            for (int i = 0; i < count; i++) {
                ServerSocket socket = new ServerSocket(0);
                sockets.add(socket);
                ports[i] = socket.getLocalPort();
            }
            return ports;
        } finally {
            for (ServerSocket socket : sockets) {
                socket.close();
            }
        }
    }

    public static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
