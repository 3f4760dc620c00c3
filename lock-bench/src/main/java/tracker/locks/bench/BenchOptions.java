package tracker.locks.bench;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import tracker.locks.testkit.ServerProcess;

/**
 * The command line of the benchmark: {@code --name value} pairs and the flags {@code --help}, {@code --markdown} and
 * {@code --faults}.
 */
record BenchOptions(
        List<Database> databases,
        List<Transport> transports,
        List<Scenario> scenarios,
        List<Integer> clients,
        Duration warmup,
        Duration duration,
        Duration serverWarmup,
        Path serverJar,
        Path serverJava,
        Path config,
        int poolSize,
        String serverHeap,
        List<String> serverJavaOptions,
        Optional<ExternalPostgres> postgres,
        Map<String, String> postgresSettings,
        Optional<Duration> soak,
        boolean faults,
        Duration faultInterval,
        Duration cold,
        String etcd,
        Optional<Integer> waiters,
        boolean markdown,
        boolean help) {

    enum Database { H2, POSTGRES }

    enum Transport { GRPC, REST }

    enum Scenario { UNCONTENDED, CONTENDED }

    /** A PostgreSQL server given by the user instead of the embedded one. */
    record ExternalPostgres(String url, String user, String password) {
    }

    static final String USAGE = """
            Usage: java -jar lock-bench/target/lock-bench.jar [options]

            Starts the server jar once per database, measures each configuration after a warm-up, and the same
            cycle through the server's own lock store called in this process (the "store-limit" row: the same
            statements on the same schema, without the server around them).

              --databases h2,postgres        databases to measure on (default: h2,postgres)
              --transports grpc,rest         transports to drive the server with (default: grpc,rest)
              --scenarios uncontended,contended
                                             uncontended: each client acquires and releases its own key;
                                             contended: all clients compete for one key (default: both)
              --clients 1,8,32               concurrent closed-loop clients, one table row each (default: 1,8,32)
              --warmup 5s                    unmeasured warm-up before each configuration (default: 5s)
              --duration 10s                 measured time per configuration (default: 10s)
              --server-warmup 6m             once per server, before its first configuration: every client kind
                                             and scenario in turn (20s each) at the largest client count, round
                                             after round until the server's JIT compilers used at most 5 % of a
                                             core in a round, so the rows measure the server compiled, not the
                                             JIT still at work (on two cores that takes minutes); at most this
                                             long, the report says whether it settled (default: 6m; 0s to skip)
              --pool-size 32                 server DB_POOL_MIN_SIZE = DB_POOL_MAX_SIZE, and the store limit's
                                             pool size (default: 32)
              --server-jar path              the server's fat jar (default: lock-app/target/tracker.jar)
              --server-java path             the java that runs the server (default: the benchmark's own)
              --config path                  the server's configuration (default: config/tracker.yml)
              --server-heap 512m             -Xmx of the server process (default: 512m)
              --server-java-opts "..."       more JVM options for the server process, space separated
              --postgres-url jdbc:postgresql://host:5432/db
              --postgres-user name
              --postgres-password secret     use this PostgreSQL instead of starting an embedded one; the
                                             environment variables DB_URL, DB_USER, DB_PASSWORD work too
              --postgres-settings fsync=off,synchronous_commit=off
                                             server settings of the embedded PostgreSQL, over the benchmark's
                                             own: fsync=on, synchronous_commit=on (durable, as in production)
              --cold 15s                     after the warm server: per transport and client count a fresh
                                             server, measured from the moment it answers its health check, for
                                             this long (default: 15s; 0s to skip)
              --etcd auto                    the peer row: etcd's own Lock/Unlock (jetcd) on an etcd started for
                                             the run, in the uncontended tables: auto = when an etcd binary is on
                                             the PATH (Debian: apt-get install etcd-server), off, or the binary's
                                             path (default: auto)
              --soak 60s                     soak mode instead: gRPC, uncontended, PostgreSQL, 32 clients for this
                                             long, sampling the server's heap every second
              --faults                       with --soak: a fault soak instead, as long as --soak says: three
                                             server instances on one embedded PostgreSQL, 24 clients (half REST,
                                             half gRPC) taking 6 contended keys, each holder bumping a counter the
                                             lock guards; a fault every --fault-interval, in turn: SIGKILL an
                                             instance and start a replacement, restart PostgreSQL (3 s down),
                                             SIGSTOP an instance for 8 s. Checks that no two clients ever held a
                                             key at once, prints a line of progress every 10 s and a summary
              --fault-interval 30s           with --faults: the quiet time from one fault's recovery to the next
                                             fault; --soak must be at least twice as long (default: 30s)
              --waiters 10000                waiters mode instead: on each database, this many clients waiting at
                                             once on 100 held keys of one server (half REST, half gRPC), its
                                             threads and heap read while they wait, then every one granted in turn
              --markdown                     print the tables as Markdown (for docs/benchmarks.md)
              --help                         this text

            Durations: 500ms, 5s, 2m. Exit status 0 when no configuration saw an unexpected error (with --faults:
            no two holders at once, the counters match the acquisitions, the load acquired after every fault and
            every instance serves at the end), 1 otherwise, 2 for a bad command line.
            """;

    private static final Pattern DURATION = Pattern.compile("(\\d+)(ms|s|m)?");
    private static final Pattern HEAP = Pattern.compile("\\d+[kKmMgG]?");

    /** {@code --etcd}: the etcd on the PATH when there is one. */
    static final String ETCD_AUTO = "auto";
    /** {@code --etcd}: no peer row. */
    static final String ETCD_OFF = "off";

    /**
     * What the embedded PostgreSQL runs with unless {@code --postgres-settings} says otherwise: durable commits, as
     * a production server has them and as etcd has them by default (the embedded server's own are both off).
     */
    static final Map<String, String> DURABLE_POSTGRES = Map.of("fsync", "on", "synchronous_commit", "on");

    /** {@code --fault-interval} unless given. */
    static final Duration FAULT_INTERVAL = Duration.ofSeconds(30);

    /** The options that take no value. */
    private static final List<String> FLAGS = List.of("--help", "-h", "--markdown", "--faults");

    static BenchOptions defaults() {
        return new BenchOptions(
                List.of(Database.H2, Database.POSTGRES),
                List.of(Transport.GRPC, Transport.REST),
                List.of(Scenario.UNCONTENDED, Scenario.CONTENDED),
                List.of(1, 8, 32),
                Duration.ofSeconds(5),
                Duration.ofSeconds(10),
                Duration.ofMinutes(6),
                Path.of("lock-app", "target", "tracker.jar"),
                ServerProcess.currentJava(),
                Path.of("config", "tracker.yml"),
                32,
                "512m",
                List.of(),
                Optional.empty(),
                Map.of(),
                Optional.empty(),
                false,
                FAULT_INTERVAL,
                Duration.ofSeconds(15),
                ETCD_AUTO,
                Optional.empty(),
                false,
                false);
    }

    /**
     * Parses the command line; {@code environment} supplies DB_URL, DB_USER and DB_PASSWORD when no
     * {@code --postgres-url} is given.
     *
     * @throws IllegalArgumentException with a message fit for the user
     */
    static BenchOptions parse(String[] args, Map<String, String> environment) {
        BenchOptions defaults = defaults();
        List<Database> databases = defaults.databases();
        List<Transport> transports = defaults.transports();
        List<Scenario> scenarios = defaults.scenarios();
        List<Integer> clients = defaults.clients();
        Duration warmup = defaults.warmup();
        Duration duration = defaults.duration();
        Duration serverWarmup = defaults.serverWarmup();
        Path serverJar = defaults.serverJar();
        Path serverJava = defaults.serverJava();
        Path config = defaults.config();
        int poolSize = defaults.poolSize();
        String serverHeap = defaults.serverHeap();
        List<String> serverJavaOptions = defaults.serverJavaOptions();
        String postgresUrl = null;
        String postgresUser = null;
        String postgresPassword = null;
        Map<String, String> postgresSettings = defaults.postgresSettings();
        Optional<Duration> soak = Optional.empty();
        boolean faults = false;
        Optional<Duration> faultInterval = Optional.empty();
        Duration cold = defaults.cold();
        String etcd = defaults.etcd();
        Optional<Integer> waiters = Optional.empty();
        boolean markdown = false;
        boolean help = false;

        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            String name;
            String inlineValue = null;
            int equals = arg.indexOf('=');
            if (arg.startsWith("--") && equals > 0) {
                name = arg.substring(0, equals);
                inlineValue = arg.substring(equals + 1);
            } else {
                name = arg;
            }
            if (FLAGS.contains(name)) {
                if (inlineValue != null) {
                    throw new IllegalArgumentException(name + " takes no value, got '" + arg + "'");
                }
                switch (name) {
                    case "--markdown" -> markdown = true;
                    case "--faults" -> faults = true;
                    default -> help = true;
                }
                continue;
            }
            if (!name.startsWith("--")) {
                throw new IllegalArgumentException("unexpected argument '" + arg + "' (options are --name value)");
            }
            String value;
            if (inlineValue != null) {
                value = inlineValue;
            } else if (i + 1 < args.length) {
                value = args[++i];
            } else {
                throw new IllegalArgumentException(name + " needs a value");
            }
            switch (name) {
                case "--databases" -> databases = enumList(name, value, Database.class);
                case "--transports" -> transports = enumList(name, value, Transport.class);
                case "--scenarios" -> scenarios = enumList(name, value, Scenario.class);
                case "--clients" -> clients = positiveInts(name, value);
                case "--warmup" -> warmup = duration(name, value, true);
                case "--duration" -> duration = duration(name, value, false);
                case "--server-warmup" -> serverWarmup = duration(name, value, true);
                case "--server-jar" -> serverJar = Path.of(value);
                case "--server-java" -> serverJava = Path.of(value);
                case "--config" -> config = Path.of(value);
                case "--pool-size" -> poolSize = positiveInt(name, value);
                case "--server-heap" -> serverHeap = heap(name, value);
                case "--server-java-opts" -> serverJavaOptions = value.isBlank()
                        ? List.of() : List.of(value.trim().split("\\s+"));
                case "--postgres-url" -> postgresUrl = value;
                case "--postgres-user" -> postgresUser = value;
                case "--postgres-password" -> postgresPassword = value;
                case "--postgres-settings" -> postgresSettings = settings(name, value);
                case "--soak" -> soak = Optional.of(duration(name, value, false));
                case "--fault-interval" -> faultInterval = Optional.of(duration(name, value, false));
                case "--cold" -> cold = duration(name, value, true);
                case "--etcd" -> etcd = etcd(name, value);
                case "--waiters" -> waiters = Optional.of(positiveInt(name, value));
                default -> throw new IllegalArgumentException("unknown option " + name + " (see --help)");
            }
        }

        if (postgresUrl == null) {
            String fromEnvironment = environment.get("DB_URL");
            if (fromEnvironment != null && fromEnvironment.startsWith("jdbc:postgresql:")) {
                postgresUrl = fromEnvironment;
                postgresUser = postgresUser != null ? postgresUser : environment.get("DB_USER");
                postgresPassword = postgresPassword != null ? postgresPassword : environment.get("DB_PASSWORD");
            }
        }
        Optional<ExternalPostgres> postgres = Optional.empty();
        if (postgresUrl != null) {
            if (!postgresUrl.startsWith("jdbc:postgresql:")) {
                throw new IllegalArgumentException("--postgres-url must be a jdbc:postgresql: URL, got " + postgresUrl);
            }
            postgres = Optional.of(new ExternalPostgres(postgresUrl,
                    postgresUser == null ? "" : postgresUser, postgresPassword == null ? "" : postgresPassword));
        } else if (postgresUser != null || postgresPassword != null) {
            throw new IllegalArgumentException("--postgres-user and --postgres-password need --postgres-url");
        }
        if (postgres.isPresent() && !postgresSettings.isEmpty()) {
            throw new IllegalArgumentException("--postgres-settings applies to the embedded PostgreSQL only;"
                    + " configure the server at " + postgres.get().url() + " itself");
        }

        checkFaults(faults, faultInterval, soak, postgres);

        return new BenchOptions(databases, transports, scenarios, clients, warmup, duration, serverWarmup, serverJar,
                serverJava, config, poolSize, serverHeap, serverJavaOptions, postgres, postgresSettings, soak, faults,
                faultInterval.orElse(FAULT_INTERVAL), cold, etcd, waiters, markdown, help);
    }

    /**
     * {@code --faults} turns {@code --soak} into the fault soak: it needs the soak's duration, room in it for a fault
     * and the quiet time after it, and a PostgreSQL of its own to restart.
     */
    private static void checkFaults(boolean faults, Optional<Duration> faultInterval, Optional<Duration> soak,
                                    Optional<ExternalPostgres> postgres) {
        if (!faults) {
            if (faultInterval.isPresent()) {
                throw new IllegalArgumentException("--fault-interval needs --faults");
            }
            return;
        }
        if (soak.isEmpty()) {
            throw new IllegalArgumentException("--faults needs --soak, how long the fault soak runs (e.g. --soak 30m"
                    + " --faults)");
        }
        if (postgres.isPresent()) {
            throw new IllegalArgumentException("--faults restarts the embedded PostgreSQL, so it cannot run on "
                    + postgres.get().url() + " (given by --postgres-url or DB_URL)");
        }
        Duration interval = faultInterval.orElse(FAULT_INTERVAL);
        if (soak.get().compareTo(interval.multipliedBy(2)) < 0) {
            throw new IllegalArgumentException("--soak " + format(soak.get()) + " leaves no room for a fault every "
                    + format(interval) + " and the quiet time after it: give --soak at least "
                    + format(interval.multipliedBy(2)) + " or a shorter --fault-interval");
        }
    }

    static Duration duration(String option, String value, boolean zeroAllowed) {
        Matcher matcher = DURATION.matcher(value.trim().toLowerCase(Locale.ROOT));
        if (!matcher.matches()) {
            throw new IllegalArgumentException(option + " must be a duration such as 500ms, 5s or 2m, got '"
                    + value + "'");
        }
        long amount = Long.parseLong(matcher.group(1));
        String unit = matcher.group(2) == null ? "s" : matcher.group(2);
        Duration parsed = switch (unit) {
            case "ms" -> Duration.ofMillis(amount);
            case "m" -> Duration.ofMinutes(amount);
            default -> Duration.ofSeconds(amount);
        };
        if (parsed.isZero() && !zeroAllowed) {
            throw new IllegalArgumentException(option + " must be longer than zero");
        }
        return parsed;
    }

    /** 5s, 1m30s, 500ms: the shortest exact form. */
    static String format(Duration duration) {
        if (duration.toMillisPart() != 0 || duration.isZero()) {
            return duration.isZero() ? "0s" : duration.toMillis() + "ms";
        }
        long seconds = duration.toSeconds();
        if (seconds % 60 == 0) {
            return seconds / 60 + "m";
        }
        return seconds >= 60 ? seconds / 60 + "m" + seconds % 60 + "s" : seconds + "s";
    }

    private static <E extends Enum<E>> List<E> enumList(String option, String value, Class<E> type) {
        LinkedHashSet<E> values = new LinkedHashSet<>();
        for (String item : items(option, value)) {
            try {
                values.add(Enum.valueOf(type, item.toUpperCase(Locale.ROOT)));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(option + ": unknown value '" + item + "', expected one of "
                        + Arrays.stream(type.getEnumConstants()).map(c -> c.name().toLowerCase(Locale.ROOT)).toList());
            }
        }
        return List.copyOf(values);
    }

    private static List<Integer> positiveInts(String option, String value) {
        LinkedHashSet<Integer> values = new LinkedHashSet<>();
        for (String item : items(option, value)) {
            values.add(positiveInt(option, item));
        }
        return List.copyOf(values);
    }

    private static int positiveInt(String option, String value) {
        try {
            int parsed = Integer.parseInt(value.trim());
            if (parsed > 0) {
                return parsed;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException(option + " must be a whole number greater than zero, got '" + value + "'");
    }

    private static Map<String, String> settings(String option, String value) {
        Map<String, String> settings = new java.util.LinkedHashMap<>();
        for (String item : items(option, value)) {
            int equals = item.indexOf('=');
            if (equals <= 0 || equals == item.length() - 1) {
                throw new IllegalArgumentException(option + " takes name=value pairs, got '" + item + "'");
            }
            settings.put(item.substring(0, equals).trim(), item.substring(equals + 1).trim());
        }
        return java.util.Collections.unmodifiableMap(settings);
    }

    private static String etcd(String option, String value) {
        String trimmed = value.trim();
        if (trimmed.isEmpty()) {
            throw new IllegalArgumentException(option + " takes auto, off or the path of the etcd binary");
        }
        String lower = trimmed.toLowerCase(Locale.ROOT);
        return lower.equals(ETCD_AUTO) || lower.equals(ETCD_OFF) ? lower : trimmed;
    }

    /** The settings the embedded PostgreSQL gets: the durable ones, with the user's on top. */
    Map<String, String> embeddedPostgresSettings() {
        Map<String, String> settings = new java.util.TreeMap<>(DURABLE_POSTGRES);
        settings.putAll(postgresSettings);
        return java.util.Collections.unmodifiableMap(settings);
    }

    private static String heap(String option, String value) {
        if (!HEAP.matcher(value).matches()) {
            throw new IllegalArgumentException(option + " must be a JVM heap size such as 512m or 2g, got '"
                    + value + "'");
        }
        return value;
    }

    private static List<String> items(String option, String value) {
        List<String> items = new ArrayList<>();
        for (String item : value.split(",")) {
            if (!item.isBlank()) {
                items.add(item.trim());
            }
        }
        if (items.isEmpty()) {
            throw new IllegalArgumentException(option + " needs at least one value");
        }
        return items;
    }

    static String lower(Enum<?> value) {
        return value.name().toLowerCase(Locale.ROOT);
    }
}
