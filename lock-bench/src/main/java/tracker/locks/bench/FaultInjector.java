package tracker.locks.bench;

import java.io.IOException;
import java.io.PrintStream;
import java.time.Duration;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The fault soak's faults, one after another in a fixed cycle: SIGKILL a random instance and start a replacement (a
 * new process on new ports), restart PostgreSQL (down for {@link #POSTGRES_DOWN}), SIGSTOP a random instance for
 * {@link #PAUSED_FOR} and SIGCONT it. Each fault starts {@code --fault-interval} after the previous one was over, so
 * the load has that quiet time to show that it recovered (the soak checks that it acquired in each). Every step is
 * printed with its time.
 */
final class FaultInjector {

    enum Kind {
        KILL("kill + replacement"), POSTGRES_RESTART("postgres restart"), PAUSE("pause");

        final String label;

        Kind(String label) {
            this.label = label;
        }
    }

    static final Duration POSTGRES_DOWN = Duration.ofSeconds(3);
    static final Duration PAUSED_FOR = Duration.ofSeconds(8);
    /**
     * How long a kill is expected to take before one was seen: a replacement started under the soak's load took
     * 49-63 s to answer its health check on two cores (3 instances, PostgreSQL and the load on them).
     */
    private static final Duration FIRST_KILL_GUESS = Duration.ofSeconds(60);

    /**
     * One fault.
     *
     * @param started            {@link System#nanoTime()} when it began
     * @param recovered          when it was over: the replacement healthy, the database up, the instance continued
     * @param acquiredAtRecovery acknowledged acquisitions of the load when it was over
     * @param acquiredAfter      acquisitions in the quiet time after it, up to the next fault or the end; -1 before
     */
    record Fault(int number, Kind kind, String target, long started, long recovered, long acquiredAtRecovery,
                 long acquiredAfter) {

        Fault quietTimeEnded(long acquiredNow) {
            return new Fault(number, kind, target, started, recovered, acquiredAtRecovery,
                    acquiredNow - acquiredAtRecovery);
        }
    }

    private final SoakInstances instances;
    private final BenchDatabase database;
    private final HoldingChecker acquisitions;
    private final SoakClock clock;
    private final Duration interval;
    private final PrintStream out;
    private final Random random = new Random();
    /** Read by the progress line while faults are added. */
    private final List<Fault> faults = new CopyOnWriteArrayList<>();
    /** The longest fault of each kind so far, start to recovery. */
    private final Map<Kind, Duration> longest = new EnumMap<>(Kind.class);

    FaultInjector(SoakInstances instances, BenchDatabase database, HoldingChecker acquisitions, SoakClock clock,
                  Duration interval, PrintStream out) {
        this.instances = instances;
        this.database = database;
        this.acquisitions = acquisitions;
        this.clock = clock;
        this.interval = interval;
        this.out = out;
    }

    /**
     * Injects faults until {@code endNanos} (a {@link System#nanoTime()}): each only when it and its quiet time fit
     * before the end, the fault expected to take as long as the longest of its kind so far. Returns at the end, or,
     * when the last fault took longer than expected, once its quiet time is over (so every fault has one); returns
     * when that was.
     */
    long run(long endNanos) throws IOException, InterruptedException {
        long quietSince = clock.startNanos();
        for (int n = 0; ; n++) {
            Kind kind = Kind.values()[n % Kind.values().length];
            long next = quietSince + interval.toNanos();
            if (endNanos - next < expected(kind).plus(interval).toNanos()) {
                break;
            }
            SoakClock.sleepUntil(next);
            endQuietTime();
            Fault fault = inject(n + 1, kind);
            faults.add(fault);
            longest.merge(kind, Duration.ofNanos(fault.recovered() - fault.started()), FaultInjector::longer);
            quietSince = fault.recovered();
        }
        long end = Math.max(endNanos, quietSince + interval.toNanos());
        if (end != endNanos) {
            out.println(clock.stamp() + " the last fault took longer than expected: the load runs on until its quiet"
                    + " time of " + BenchOptions.format(interval) + " is over, at " + clock.stamp(end));
        }
        SoakClock.sleepUntil(end);
        endQuietTime();
        return end;
    }

    private Duration expected(Kind kind) {
        return longest.getOrDefault(kind, switch (kind) {
            case KILL -> FIRST_KILL_GUESS;
            case POSTGRES_RESTART -> POSTGRES_DOWN;
            case PAUSE -> PAUSED_FOR;
        });
    }

    private static Duration longer(Duration a, Duration b) {
        return a.compareTo(b) >= 0 ? a : b;
    }

    List<Fault> faults() {
        return List.copyOf(faults);
    }

    private void endQuietTime() {
        if (!faults.isEmpty()) {
            int last = faults.size() - 1;
            faults.set(last, faults.get(last).quietTimeEnded(acquisitions.acknowledged()));
        }
    }

    private Fault inject(int number, Kind kind) throws IOException, InterruptedException {
        long started = System.nanoTime();
        String target = switch (kind) {
            case KILL -> kill(number);
            case POSTGRES_RESTART -> restartPostgres(number);
            case PAUSE -> pause(number);
        };
        return new Fault(number, kind, target, started, System.nanoTime(), acquisitions.acknowledged(), -1);
    }

    private String kill(int number) throws InterruptedException {
        SoakInstances.Instance victim = instances.current(random.nextInt(instances.size()));
        print(number, "SIGKILL %s (pid %d), starting a replacement", victim.label(), victim.server().handle().pid());
        long killed = System.nanoTime();
        victim.server().kill();
        victim.server().close(); // dead already: lets go of the process
        SoakInstances.Instance replacement = instances.replace(victim.slot());
        print(number, "%s healthy %.1f s after the kill (pid %d, REST port %d, gRPC port %d)", replacement.label(),
                SoakClock.seconds(killed, System.nanoTime()), replacement.server().handle().pid(),
                replacement.server().httpPort(), replacement.server().grpcPort());
        return victim.label();
    }

    private String restartPostgres(int number) throws IOException, InterruptedException {
        print(number, "stopping PostgreSQL (pg_ctl stop -m fast), down for %s", BenchOptions.format(POSTGRES_DOWN));
        long stopping = System.nanoTime();
        database.restart(POSTGRES_DOWN);
        print(number, "PostgreSQL up again, %.1f s after the stop began", SoakClock.seconds(stopping,
                System.nanoTime()));
        return "postgres";
    }

    private String pause(int number) throws IOException, InterruptedException {
        SoakInstances.Instance paused = instances.current(random.nextInt(instances.size()));
        print(number, "SIGSTOP %s (pid %d) for %s", paused.label(), paused.server().handle().pid(),
                BenchOptions.format(PAUSED_FOR));
        paused.server().pause();
        try {
            Thread.sleep(PAUSED_FOR.toMillis());
        } finally {
            paused.server().resume(); // whatever happens, no instance is left stopped
        }
        print(number, "SIGCONT %s", paused.label());
        return paused.label();
    }

    private void print(int number, String format, Object... arguments) {
        out.println(clock.stamp() + " fault " + number + ": " + String.format(Locale.ROOT, format, arguments));
        out.flush();
    }
}
