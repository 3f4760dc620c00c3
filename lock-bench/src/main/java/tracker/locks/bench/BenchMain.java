package tracker.locks.bench;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import javax.sql.DataSource;
import tracker.locks.bench.BenchOptions.Database;
import tracker.locks.bench.BenchOptions.Scenario;
import tracker.locks.bench.BenchOptions.Transport;
import tracker.locks.testkit.GrpcLockClient;
import tracker.locks.testkit.ServerProcess;

/**
 * The benchmark of issue #5: lock throughput and latency of the server over gRPC and REST, next to the server's own
 * lock store called in this process (the store limit) in the same run. See docs/benchmarks.md.
 */
public final class BenchMain {

    /** After the measurements: SIGTERM, and SIGKILL if the server has not exited this long after. */
    private static final Duration SERVER_STOP_GRACE = Duration.ofSeconds(20);

    /**
     * The etcd client's own warm-up (etcd is Go, but jetcd runs in this JVM): once, at the largest client count,
     * like the server warm-up does for our clients.
     */
    private static final Duration ETCD_WARMUP = Duration.ofSeconds(30);

    /** How long each client kind and scenario runs in a round of the server warm-up. */
    private static final Duration WARMUP_SLICE = Duration.ofSeconds(20);
    /** The server's JIT has settled when its compilers used at most this share of a core in a warm-up round. */
    private static final double SETTLED_COMPILER_SHARE = 0.05;

    /** Clients of the soak: the configuration of the gRPC target. */
    private static final int SOAK_CLIENTS = 32;

    private final BenchOptions options;
    private final Path work;
    private final PrintStream out = System.out;
    private final PrintStream progress = System.err;
    private final List<String> logNotes = new ArrayList<>();
    private long unexpectedErrors;

    private BenchMain(BenchOptions options, Path work) {
        this.options = options;
        this.work = work;
    }

    public static void main(String[] args) throws Exception {
        // Before any logger exists: embedded PostgreSQL logs its server's output at INFO through slf4j.
        System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn");
        BenchOptions options;
        try {
            options = BenchOptions.parse(args, System.getenv());
        } catch (IllegalArgumentException e) {
            System.err.println("lock-bench: " + e.getMessage());
            System.err.println();
            System.err.print(BenchOptions.USAGE);
            System.exit(2);
            return;
        }
        if (options.help()) {
            System.out.print(BenchOptions.USAGE);
            return;
        }
        for (Path required : List.of(options.serverJar(), options.config())) {
            if (!Files.isRegularFile(required)) {
                System.err.println("lock-bench: " + required.toAbsolutePath() + " not found. Run it from the project"
                        + " directory after `mvn -B -q -DskipTests package`, or give --server-jar and --config.");
                System.exit(2);
                return;
            }
        }
        if (!List.of(BenchOptions.ETCD_AUTO, BenchOptions.ETCD_OFF).contains(options.etcd())
                && !Files.isExecutable(Path.of(options.etcd()))) {
            System.err.println("lock-bench: --etcd " + options.etcd() + " is not an executable file (--etcd takes"
                    + " auto, off, or the path of an etcd binary)");
            System.err.println();
            System.err.print(BenchOptions.USAGE);
            System.exit(2);
            return;
        }
        Path work = Files.createTempDirectory("lock-bench-");
        BenchMain bench = new BenchMain(options, work);
        boolean clean = false;
        try {
            clean = bench.run();
        } finally {
            if (clean) {
                BenchDatabase.deleteTree(work);
            } else {
                System.err.println("kept the server logs and databases for a look: " + work);
            }
        }
        System.exit(clean ? 0 : 1);
    }

    /** Returns whether every configuration ran without an unexpected error. */
    private boolean run() throws Exception {
        header();
        if (options.soak().isPresent()) {
            soak(options.soak().get());
        } else if (options.waiters().isPresent()) {
            for (Database database : options.databases()) {
                waiters(database, options.waiters().get());
            }
        } else {
            try (Peer etcd = startEtcd()) {
                for (Database database : options.databases()) {
                    measure(database, etcd);
                }
            }
        }
        out.println();
        logNotes.forEach(out::println);
        out.println(unexpectedErrors == 0 ? "no unexpected errors"
                : "UNEXPECTED ERRORS: " + unexpectedErrors + " (see above)");
        return unexpectedErrors == 0;
    }

    private void header() {
        String bullet = options.markdown() ? "- " : "";
        out.println(bullet + "machine: " + Machine.describe());
        if (options.waiters().isPresent()) {
            out.println(bullet + "settings: waiters mode, " + options.waiters().get() + " clients waiting at once on "
                    + WaitersRun.KEYS + " held keys, databases " + names(options.databases()) + "; pool "
                    + options.poolSize() + "; server -Xmx" + options.serverHeap() + serverJavaOptions());
        } else if (options.soak().isPresent() && options.faults()) {
            out.println(bullet + "settings: fault soak " + BenchOptions.format(options.soak().get()) + ": "
                    + FaultSoak.INSTANCES + " server instances on one embedded PostgreSQL, " + SoakLoad.CLIENTS
                    + " clients (half REST, half gRPC) taking " + SoakLoad.KEYS + " contended keys; a fault every "
                    + BenchOptions.format(options.faultInterval()) + " in turn: SIGKILL an instance and start a"
                    + " replacement, restart PostgreSQL (" + BenchOptions.format(FaultInjector.POSTGRES_DOWN)
                    + " down), SIGSTOP an instance for " + BenchOptions.format(FaultInjector.PAUSED_FOR) + "; pool "
                    + options.poolSize() + "; server -Xmx" + options.serverHeap() + serverJavaOptions());
        } else if (options.soak().isPresent()) {
            out.println(bullet + "settings: soak " + BenchOptions.format(options.soak().get()) + " after "
                    + BenchOptions.format(options.warmup()) + " warm-up; grpc, uncontended, postgres, "
                    + SOAK_CLIENTS + " clients; pool " + options.poolSize() + "; server -Xmx" + options.serverHeap()
                    + serverJavaOptions());
        } else {
            out.println(bullet + "settings: databases " + names(options.databases()) + "; transports "
                    + names(options.transports()) + "; scenarios " + names(options.scenarios()) + "; clients "
                    + options.clients().stream().map(String::valueOf).collect(Collectors.joining(","))
                    + "; warm-up " + BenchOptions.format(options.warmup()) + ", measured "
                    + BenchOptions.format(options.duration()) + " per configuration (server warm-up until its JIT "
                    + "settles, at most " + BenchOptions.format(options.serverWarmup()) + " once); pool " + options.poolSize()
                    + " (server min = max, and store-limit); server -Xmx" + options.serverHeap() + serverJavaOptions()
                    + (options.cold().isZero() ? "" : "; cold starts: the first " + BenchOptions.format(options.cold())
                    + " of a fresh server per transport and client count"));
        }
        out.println(bullet + "server: " + serverJavaUnlessOwn() + options.serverJar() + " server " + options.config()
                + " (LOG_LEVEL=WARN)");
        if (options.waiters().isPresent() || options.faults()) {
            out.flush();
            return; // no throughput tables in these modes: their legend does not apply
        }
        out.println(bullet + Report.LATENCY_NOTE);
        if (!options.markdown()) {
            out.print(Report.legend());
        }
        out.flush();
    }

    /** The server's java, when it is not the benchmark's own (whose version the machine line gives). */
    private String serverJavaUnlessOwn() {
        return options.serverJava().equals(ServerProcess.currentJava()) ? "" : options.serverJava() + " -jar ";
    }

    private String serverJavaOptions() {
        return options.serverJavaOptions().isEmpty() ? "" : " " + String.join(" ", options.serverJavaOptions());
    }

    /**
     * All configurations on one database: one server process, its clients, the store limit's pool and the etcd
     * peer's rows; then the cold starts, each a fresh server.
     */
    private void measure(Database kind, Peer etcd) throws Exception {
        String name = BenchOptions.lower(kind);
        progress.println("[" + name + "] starting the database and the server...");
        try (BenchDatabase database = open(kind)) {
            List<Measurement> warmUncontended = new ArrayList<>();
            try (ServerProcess server = startServer(database, "")) {
                out.println();
                out.println((options.markdown() ? "### " : "") + "database: " + database.description());
                out.flush();
                CpuClock cpu = new CpuClock(Optional.of(server.handle()));
                DataSource limitPool = database.limitPool(options.poolSize());
                try (LoadTarget limit = new StoreTarget(limitPool, database.dialect());
                     LoadTarget grpc = new ClientTarget(new GrpcLockClient(server.grpcPort()))) {
                    warmUp(name, limit, grpc, server);
                    for (Scenario scenario : options.scenarios()) {
                        List<Measurement> rows = new ArrayList<>();
                        for (int clients : options.clients()) {
                            rows.add(measure(name, scenario, Measurement.STORE_LIMIT, limit, clients, cpu));
                            for (Transport transport : options.transports()) {
                                rows.add(measure(name, scenario, BenchOptions.lower(transport),
                                        transport == Transport.GRPC ? grpc : rest(server), clients, cpu));
                            }
                            if (scenario == Scenario.UNCONTENDED && etcd.target().isPresent()) {
                                rows.add(measure(name, scenario, Measurement.ETCD, etcd.target().get(), clients,
                                        etcd.cpu()));
                            }
                        }
                        if (scenario == Scenario.UNCONTENDED) {
                            warmUncontended.addAll(rows);
                        }
                        out.println();
                        out.print(Report.table(name, scenario, rows, options.markdown()));
                        out.flush();
                    }
                }
                noteLog(name, server);
            }
            coldStarts(name, database, warmUncontended);
        } catch (Exception e) {
            unexpectedErrors++;
            out.println();
            out.println("[" + name + "] FAILED: " + e);
            e.printStackTrace(progress);
        }
    }

    /**
     * The first {@code --cold} of a fresh server, per transport and client count: started on the same database
     * after the warm server has gone, measured from its first healthy answer with no warm-up at all — what a new
     * instance of a rolling deploy or a scale-up does. The load generator is warm by now, so the rows show the
     * server's start, not the benchmark's.
     */
    private void coldStarts(String database, BenchDatabase db, List<Measurement> warm) throws Exception {
        if (options.cold().isZero()) {
            return;
        }
        List<Report.ColdStart> starts = new ArrayList<>();
        for (Transport transport : options.transports()) {
            for (int clients : options.clients()) {
                String kind = BenchOptions.lower(transport);
                progress.printf(Locale.ROOT, "[%s cold %s, %d clients] a fresh server, measuring its first %s...%n",
                        database, kind, clients, BenchOptions.format(options.cold()));
                long launched = System.nanoTime();
                try (ServerProcess server = startServer(db, "-cold-" + kind + "-" + clients)) {
                    Duration ready = Duration.ofNanos(System.nanoTime() - launched);
                    CpuClock cpu = new CpuClock(Optional.of(server.handle()));
                    try (LoadTarget target = transport == Transport.GRPC
                            ? new ClientTarget(new GrpcLockClient(server.grpcPort())) : rest(server)) {
                        Measurement measured = LoadRun.run(database, Scenario.UNCONTENDED, kind, target, clients,
                                Duration.ZERO, options.cold(), cpu);
                        unexpectedErrors += measured.errors();
                        progress.printf(Locale.ROOT, "    ready after %.1f s, then %s cycles/s, %d errors%n",
                                ready.toMillis() / 1000.0, Report.rate(measured.cyclesPerSecond()),
                                measured.errors());
                        starts.add(new Report.ColdStart(ready, measured));
                    }
                }
            }
        }
        out.println();
        out.print(Report.coldTable(database, options.cold(), starts, warm, options.markdown()));
        out.flush();
    }

    /** The etcd peer when it is wanted and there is one, started once for the whole run and warmed up. */
    private Peer startEtcd() throws Exception {
        if (options.etcd().equals(BenchOptions.ETCD_OFF) || !options.scenarios().contains(Scenario.UNCONTENDED)) {
            return Peer.NONE;
        }
        String bullet = options.markdown() ? "- " : "";
        Optional<Path> binary = options.etcd().equals(BenchOptions.ETCD_AUTO)
                ? EtcdPeer.find() : Optional.of(Path.of(options.etcd()));
        if (binary.isEmpty()) {
            out.println(bullet + "peer: no etcd binary on the PATH, so no etcd rows (Debian: apt-get install"
                    + " etcd-server)");
            return Peer.NONE;
        }
        progress.println("[etcd] starting " + binary.get() + "...");
        EtcdPeer etcd = EtcdPeer.start(binary.get(), work.resolve("etcd"));
        EtcdTarget target = new EtcdTarget(etcd.endpoint());
        Peer peer = new Peer(Optional.of(etcd), Optional.of(target), new CpuClock(Optional.of(etcd.handle())));
        out.println(bullet + "peer: " + etcd.description());
        out.flush();
        int clients = options.clients().stream().mapToInt(Integer::intValue).max().orElse(1);
        progress.printf(Locale.ROOT, "[etcd] client warm-up %s, %d clients%n", BenchOptions.format(ETCD_WARMUP),
                clients);
        Measurement warm = LoadRun.run("etcd", Scenario.UNCONTENDED, Measurement.ETCD, target, clients,
                ETCD_WARMUP, Duration.ZERO, new CpuClock(Optional.empty()));
        unexpectedErrors += warm.errors();
        warm.firstErrors().forEach(error -> progress.println("    warm-up error (etcd): " + error));
        return peer;
    }

    /** The etcd peer of a run, or none: its process, the client all configurations share, its processor clock. */
    private record Peer(Optional<EtcdPeer> process, Optional<EtcdTarget> target, CpuClock cpu)
            implements AutoCloseable {
        static final Peer NONE = new Peer(Optional.empty(), Optional.empty(), new CpuClock(Optional.empty()));

        @Override
        public void close() throws InterruptedException {
            target.ifPresent(EtcdTarget::close);
            if (process.isPresent()) {
                process.get().close();
            }
        }
    }

    /**
     * Once per server: every client kind and scenario in turn at the largest client count, round after round, until
     * the server's JIT has settled — a whole round in which its compiler threads used at most
     * {@link #SETTLED_COMPILER_SHARE} of a core — or {@code --server-warmup} has passed (then the report says so).
     * A fixed warm-up was not enough on two cores: the C2 compiler was still at work in some measured rows.
     */
    private void warmUp(String database, LoadTarget limit, LoadTarget grpc, ServerProcess server)
            throws InterruptedException {
        if (options.serverWarmup().isZero()) {
            return;
        }
        Map<String, LoadTarget> kinds = new LinkedHashMap<>();
        kinds.put(Measurement.STORE_LIMIT, limit);
        for (Transport transport : options.transports()) {
            kinds.put(BenchOptions.lower(transport), transport == Transport.GRPC ? grpc : rest(server));
        }
        int clients = options.clients().stream().mapToInt(Integer::intValue).max().orElse(1);
        int slices = kinds.size() * options.scenarios().size();
        Duration each = WARMUP_SLICE.compareTo(options.serverWarmup().dividedBy(slices)) < 0 ? WARMUP_SLICE
                : options.serverWarmup().dividedBy(slices);
        progress.printf(Locale.ROOT, "[%s] server warm-up until its JIT settles, at most %s: %s, %s, %d clients%n",
                database, BenchOptions.format(options.serverWarmup()), String.join(",", kinds.keySet()),
                names(options.scenarios()), clients);
        CpuClock none = new CpuClock(Optional.empty());
        JitWatch jit = JitWatch.of(server.handle());
        long started = System.nanoTime();
        Duration spent = Duration.ZERO;
        double share = 1;
        while (spent.compareTo(options.serverWarmup()) < 0 && share > SETTLED_COMPILER_SHARE) {
            long roundStart = System.nanoTime();
            long compiledBefore = jit.compilerMicros();
            for (Map.Entry<String, LoadTarget> entry : kinds.entrySet()) {
                for (Scenario scenario : options.scenarios()) {
                    warmUpSlice(database, entry.getKey(), entry.getValue(), scenario, clients, each, none);
                }
            }
            long compiledAfter = jit.compilerMicros();
            share = compiledBefore < 0 || compiledAfter < 0 ? 0 // no /proc: the fixed warm-up of one round
                    : (compiledAfter - compiledBefore) / ((System.nanoTime() - roundStart) / 1000.0);
            spent = Duration.ofNanos(System.nanoTime() - started);
            progress.printf(Locale.ROOT, "    after %s: the server's JIT used %.1f %% of a core in the last round%n",
                    BenchOptions.format(Duration.ofSeconds(spent.toSeconds())), 100 * share);
        }
        logNotes.add(String.format(Locale.ROOT, "%s: server warm-up %s, %s (its JIT compilers: %.1f %% of a core in "
                + "the last round)", database, BenchOptions.format(Duration.ofSeconds(spent.toSeconds())),
                share <= SETTLED_COMPILER_SHARE ? "settled" : "NOT settled, measured anyway", 100 * share));
    }

    private void warmUpSlice(String database, String kind, LoadTarget client, Scenario scenario, int clients,
                             Duration each, CpuClock none) throws InterruptedException {
        Measurement warm = LoadRun.run(database, scenario, kind, client, clients, each, Duration.ZERO, none);
        unexpectedErrors += warm.errors();
        warm.firstErrors().forEach(error -> progress.println("    warm-up error (" + kind + "): " + error));
        if (warm.errors() > 0) {
            out.println("[" + database + "] server warm-up " + kind + " " + BenchOptions.lower(scenario)
                    + ": " + warm.errors() + " unexpected errors, the first: " + warm.firstErrors());
        }
    }

    /**
     * A REST client of its own for each configuration: between two REST configurations its keep-alive connections
     * would sit idle about as long as Jetty's idle timeout (30 s), and a request sent on a connection the server is
     * just closing would be an error of the benchmark's, not the server's. Its warm-up opens the new connections.
     */
    private static LoadTarget rest(ServerProcess server) {
        return new Http1RestTarget(ServerProcess.HOST, server.httpPort());
    }

    private Measurement measure(String database, Scenario scenario, String transport, LoadTarget client,
                                int clients, CpuClock cpu) throws InterruptedException {
        progress.printf(Locale.ROOT, "[%s %s %s, %d clients] warm-up %s, measuring %s...%n", database,
                BenchOptions.lower(scenario), transport, clients, BenchOptions.format(options.warmup()),
                BenchOptions.format(options.duration()));
        Measurement measured = LoadRun.run(database, scenario, transport, client, clients, options.warmup(),
                options.duration(), cpu);
        unexpectedErrors += measured.errors();
        progress.printf(Locale.ROOT, "    %s cycles/s%s, acquire p99 %s ms, %d errors%n",
                Report.rate(measured.cyclesPerSecond()),
                scenario == Scenario.CONTENDED ? ", " + Report.rate(measured.conflictsPerSecond()) + " conflicts/s" : "",
                Report.millis(measured.acquire(), 99), measured.errors());
        measured.firstErrors().forEach(error -> progress.println("    error: " + error));
        return measured;
    }

    /** The soak: one configuration for a long time, the server's heap sampled every second. */
    private void soak(Duration length) throws Exception {
        if (options.faults()) {
            faultSoak(length);
            return;
        }
        progress.println("[soak] starting the database and the server...");
        try (BenchDatabase database = open(Database.POSTGRES);
             ServerProcess server = startServer(database, "");
             LoadTarget grpc = new ClientTarget(new GrpcLockClient(server.grpcPort()))) {
            out.println();
            out.println((options.markdown() ? "### " : "") + "database: " + database.description());
            CpuClock cpu = new CpuClock(Optional.of(server.handle()));
            Measurement measured;
            HeapSampler heap = new HeapSampler(server.adminUri("/metrics.json"), options.warmup());
            try {
                progress.printf(Locale.ROOT, "[soak] warm-up %s, then %s of grpc uncontended at %d clients...%n",
                        BenchOptions.format(options.warmup()), BenchOptions.format(length), SOAK_CLIENTS);
                measured = LoadRun.run(database.name(), Scenario.UNCONTENDED, BenchOptions.lower(Transport.GRPC), grpc,
                        SOAK_CLIENTS,
                        options.warmup(), length, cpu);
            } finally {
                heap.close();
            }
            unexpectedErrors += measured.errors();
            out.println();
            out.print(Report.table(database.name(), Scenario.UNCONTENDED, List.of(measured), options.markdown()));
            out.println();
            String summary = heap.summary(options.serverHeap());
            out.print(options.markdown() ? "```\n" + summary + "```\n" : summary);
            noteLog(database.name(), server);
        } catch (Exception e) {
            unexpectedErrors++;
            out.println("[soak] FAILED: " + e);
            e.printStackTrace(progress);
        }
    }

    /**
     * The fault soak ({@link FaultSoak}): three servers on one embedded PostgreSQL of its own, which it restarts, its
     * data in the work directory.
     */
    private void faultSoak(Duration length) {
        progress.println("[soak] starting the database and " + FaultSoak.INSTANCES + " servers...");
        try (BenchDatabase database = BenchDatabase.restartablePostgres(work.resolve("postgres"),
                options.embeddedPostgresSettings())) {
            out.println();
            out.println((options.markdown() ? "### " : "") + "database: " + database.description());
            out.flush();
            if (!FaultSoak.run(database, suffix -> startServer(database, suffix), length, options.faultInterval(),
                    out)) {
                unexpectedErrors++;
            }
        } catch (Exception e) {
            unexpectedErrors++;
            out.println("[soak] FAILED: " + e);
            e.printStackTrace(progress);
        }
    }

    /** The waiters mode ({@link WaitersRun}) on one database. */
    private void waiters(Database kind, int count) throws Exception {
        String name = BenchOptions.lower(kind);
        progress.printf(Locale.ROOT, "[%s] starting the database and the server for %,d waiters...%n", name, count);
        try (BenchDatabase database = open(kind);
             ServerProcess server = startServer(database, "-waiters",
                     Map.of("LOCK_MAX_WAIT", WaitersRun.WAIT.toMinutes() + "m"))) {
            out.println();
            out.println((options.markdown() ? "### " : "") + "database: " + database.description());
            WaitersRun.Result result = WaitersRun.run(server, count, progress);
            if (!result.ok()) {
                unexpectedErrors += Math.max(1, result.waiters() - result.granted());
            }
            String report = WaitersRun.report(name, result, options.serverHeap());
            out.print(options.markdown() ? "```\n" + report + "```\n" : report);
            out.flush();
            noteLog(name, server);
        } catch (Exception e) {
            unexpectedErrors++;
            out.println("[" + name + " waiters] FAILED: " + e);
            e.printStackTrace(progress);
        }
    }

    private BenchDatabase open(Database kind) throws Exception {
        return kind == Database.H2
                ? BenchDatabase.h2(Files.createDirectories(work.resolve("h2")))
                : BenchDatabase.postgres(options.postgres(), options.embeddedPostgresSettings());
    }

    /** @param suffix tells the log files of the cold starts' servers apart */
    private ServerProcess startServer(BenchDatabase database, String suffix) throws InterruptedException {
        return startServer(database, suffix, Map.of());
    }

    /** @param settings more of the server's environment, over the benchmark's */
    private ServerProcess startServer(BenchDatabase database, String suffix, Map<String, String> settings)
            throws InterruptedException {
        // The pool at poolSize connections (minimum and maximum), LOG_LEVEL=WARN, then the database's settings.
        Map<String, String> environment = new HashMap<>();
        environment.put("DB_POOL_MIN_SIZE", Integer.toString(options.poolSize()));
        environment.put("DB_POOL_MAX_SIZE", Integer.toString(options.poolSize()));
        environment.put("LOG_LEVEL", "WARN");
        environment.putAll(database.serverEnvironment());
        environment.putAll(settings);
        List<String> javaOptions = new ArrayList<>(List.of("-Xmx" + options.serverHeap()));
        javaOptions.addAll(options.serverJavaOptions());
        ServerProcess server = ServerProcess.launch("bench-" + database.name(), options.serverJava(),
                options.serverJar(), javaOptions,
                List.of("server", options.config().toString()), environment, null,
                work.resolve("server-" + database.name() + suffix + ".log"), SERVER_STOP_GRACE);
        try {
            return server.awaitHealthy();
        } catch (RuntimeException | InterruptedException e) {
            server.close();
            throw e;
        }
    }

    /** The size of what the server wrote to its output at LOG_LEVEL=WARN: a server that logs per request shows. */
    private void noteLog(String database, ServerProcess server) {
        logNotes.add(String.format(Locale.ROOT, "server output on %s (LOG_LEVEL=WARN): %,d bytes", database,
                server.logBytes()));
    }

    private static String names(List<? extends Enum<?>> values) {
        return values.stream().map(BenchOptions::lower).collect(Collectors.joining(","));
    }
}
