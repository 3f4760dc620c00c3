package tracker.locks.testkit;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

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
    /** Chosen ports lie between 20000 and 32000, below Linux's ephemeral range (32768–60999 by default). */
    private static final int FIRST_CHOSEN_PORT = 20_000;
    private static final int CHOSEN_PORTS = 12_000;
    private static final AtomicInteger NEXT_PORT =
            new AtomicInteger(ThreadLocalRandom.current()
                    .nextInt(CHOSEN_PORTS));
    /** How often a start that lost a port to another socket is tried again on other ports. */
    private static final int MAX_PORT_RESTARTS = 3;
    private static final Set<Process> RUNNING = ConcurrentHashMap.newKeySet();

    static {
        // An interrupted test run or benchmark leaves no server behind.
        Runtime.getRuntime().addShutdownHook(new Thread(() -> RUNNING.forEach(Process::destroyForcibly),
                "stop-server-processes"));
    }

    private final String name;
    private final Launch launch;
    /** How long close() lets the instance shut down after SIGTERM; null: close() is SIGKILL. */
    private final Duration closeGrace;
    /** Replaced, with new ports, when a start lost one of its ports to another socket (see awaitHealthy). */
    private volatile Started started;

    private ServerProcess(String name, Launch launch, Duration closeGrace) throws IOException {
        this.name = name;
        this.launch = launch;
        this.closeGrace = closeGrace;
        this.started = launch.start();
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
        return launch(name, currentJava(), jar, javaOptions, arguments, env, workingDirectory, log, closeGrace);
    }

    /** The same with another {@code java} than this process's own (a benchmark comparing JDKs). */
    public static ServerProcess launch(String name, Path java, Path jar, List<String> javaOptions,
                                       List<String> arguments, Map<String, String> env, Path workingDirectory,
                                       Path log, Duration closeGrace) {
        return launch(name, new Launch(java, jar, javaOptions, arguments, env, workingDirectory, log,
                () -> freePorts(3)), closeGrace);
    }

    /** The {@code java} that runs this process. */
    public static Path currentJava() {
        return Path.of(ProcessHandle.current().info().command().orElse("java"));
    }

    /** The same with the ports from {@code launch}'s chooser (a test's, to make a port taken on purpose). */
    static ServerProcess launch(String name, Launch launch, Duration closeGrace) {
        try {
            return new ServerProcess(name, launch, closeGrace);
        } catch (IOException e) {
            throw new UncheckedIOException("could not start instance " + name, e);
        }
    }

    /** Chooses the HTTP, admin and gRPC ports of one start. */
    interface PortChooser {
        int[] choose() throws IOException;
    }

    /** What it takes to start the instance again on other ports. */
    record Launch(Path java, Path jar, List<String> javaOptions, List<String> arguments, Map<String, String> env,
                  Path workingDirectory, Path log, PortChooser ports) {

        Started start() throws IOException {
            int[] ports = this.ports.choose();
            List<String> command = new ArrayList<>(List.of(java.toString()));
            command.addAll(javaOptions);
            command.addAll(List.of("-jar", jar.toString()));
            command.addAll(arguments);
            ProcessBuilder builder = new ProcessBuilder(command)
                    .redirectErrorStream(true)
                    .redirectOutput(log.toFile());
            if (workingDirectory != null) {
                builder.directory(workingDirectory.toFile());
            }
            builder.environment().put("HTTP_PORT", Integer.toString(ports[0]));
            builder.environment().put("METRICS_PORT", Integer.toString(ports[1]));
            builder.environment().put("GRPC_PORT", Integer.toString(ports[2]));
            builder.environment().putAll(env);
            Process process = builder.start();
            RUNNING.add(process);
            return new Started(process, ports[0], ports[1], ports[2]);
        }

        /** Whether the ports are this launcher's own choice, so another start may choose others. */
        boolean choosesPorts() {
            return !env.containsKey("HTTP_PORT") && !env.containsKey("METRICS_PORT") && !env.containsKey("GRPC_PORT");
        }
    }

    private record Started(Process process, int httpPort, int adminPort, int grpcPort) {
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
        int restarts = 0;
        while (Instant.now().isBefore(deadline)) {
            Process process = started.process();
            if (!process.isAlive()) {
                if (lostAPort() && restarts++ < MAX_PORT_RESTARTS) {
                    restartOnOtherPorts();
                    continue;
                }
                throw new IllegalStateException(name + " exited with " + process.exitValue() + ":\n" + logTail());
            }
            try {
                HttpResponse<Void> health = client.send(HttpRequest.newBuilder(
                        URI.create(scheme + "://127.0.0.1:" + adminPort() + "/healthcheck")).build(),
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

    /**
     * Whether the instance died because a port chosen for it was taken before it could bind it: a port is free
     * when it is chosen, and any socket of the machine may take it before the server binds it.
     */
    private boolean lostAPort() {
        return launch.choosesPorts() && logTail().contains("Address already in use");
    }

    private void restartOnOtherPorts() {
        RUNNING.remove(started.process());
        try {
            Files.move(launch.log(), launch.log().resolveSibling(launch.log().getFileName() + ".port-taken"),
                    StandardCopyOption.REPLACE_EXISTING);
            started = launch.start();
        } catch (IOException e) {
            throw new UncheckedIOException("could not start instance " + name + " again", e);
        }
    }

    public int httpPort() {
        return started.httpPort();
    }

    public int adminPort() {
        return started.adminPort();
    }

    public int grpcPort() {
        return started.grpcPort();
    }

    /** A URI of the admin port (plain HTTP), e.g. {@code adminUri("/metrics")}. */
    public URI adminUri(String path) {
        return URI.create("http://" + HOST + ":" + adminPort() + path);
    }

    /** The process, for its CPU time and its children. */
    public ProcessHandle handle() {
        return started.process().toHandle();
    }

    /** How much the instance has written to its output so far; -1 when the log cannot be read. */
    public long logBytes() {
        try {
            return Files.size(launch.log());
        } catch (IOException e) {
            return -1;
        }
    }

    /** SIGKILL: the process dies at once, mid-request, without any clean-up. */
    public void kill() throws InterruptedException {
        started.process().destroyForcibly();
        started.process().waitFor(30, TimeUnit.SECONDS);
    }

    /**
     * SIGSTOP: the process stops where it is, as a paused VM or container, or a long garbage collection: it answers
     * nothing and renews nothing, but keeps its connections, until {@link #resume}.
     */
    public void pause() throws IOException, InterruptedException {
        signal("STOP");
    }

    /** SIGCONT: a paused process goes on from where it stopped, unaware that time has passed. */
    public void resume() throws IOException, InterruptedException {
        signal("CONT");
    }

    private void signal(String name) throws IOException, InterruptedException {
        Process kill = new ProcessBuilder("kill", "-" + name, Long.toString(started.process().pid()))
                .inheritIO().start();
        if (kill.waitFor() != 0) {
            throw new IllegalStateException("kill -" + name + " " + started.process().pid() + " failed");
        }
    }

    /** SIGTERM: asks the instance to shut down gracefully. */
    public void terminate() {
        started.process().destroy();
    }

    public boolean awaitExit(Duration timeout) throws InterruptedException {
        return started.process().waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    public int exitCode() {
        return started.process().exitValue();
    }

    public String logTail() {
        try {
            List<String> lines = Files.readAllLines(launch.log());
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    public String log() throws IOException {
        return Files.readString(launch.log());
    }

    /** SIGKILL (tests), or SIGTERM and SIGKILL if the instance has not exited within its close grace. */
    @Override
    public void close() throws InterruptedException {
        Process process = started.process();
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
     * {@code count} different free ports, below the system's ephemeral range: a port handed out by
     * {@code new ServerSocket(0)} comes from the range the system also gives outgoing connections, and one of those
     * (a pool's, a client's) once took such a port between the choice and the server's bind. Ports are taken in turn
     * from a random start, so two test processes rarely try the same, and each is tried by binding it.
     */
    public static int[] freePorts(int count) throws IOException {
        int[] ports = new int[count];
        for (int i = 0; i < count; i++) {
            ports[i] = freePort();
        }
        return ports;
    }

    public static int freePort() throws IOException {
        for (int tries = 0; tries < CHOSEN_PORTS; tries++) {
            int port = FIRST_CHOSEN_PORT + Math.floorMod(NEXT_PORT.getAndIncrement(), CHOSEN_PORTS);
            try (ServerSocket socket = new ServerSocket()) {
                socket.bind(new InetSocketAddress(HOST, port));
                return port;
            } catch (IOException taken) {
                // another process listens there; the next one
            }
        }
        throw new IOException("no free port between " + FIRST_CHOSEN_PORT + " and "
                + (FIRST_CHOSEN_PORT + CHOSEN_PORTS));
    }
}
