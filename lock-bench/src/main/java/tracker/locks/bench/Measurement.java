package tracker.locks.bench;

import java.time.Duration;
import java.util.List;
import org.HdrHistogram.Histogram;
import tracker.locks.bench.BenchOptions.Scenario;

/**
 * What one configuration measured. Latencies are in microseconds. For the uncontended scenario a cycle is one
 * acquisition plus its release; for the contended one {@code cycles} counts successful acquisitions (each released
 * at once) and {@code conflicts} the attempts that found the key held.
 *
 * @param transport "grpc", "rest", {@link #STORE_LIMIT} or {@link #ETCD}
 * @param errors anything other than success or the expected conflict, warm-up included
 * @param cpu processor time spent during the measured window
 */
record Measurement(
        String database,
        Scenario scenario,
        String transport,
        int clients,
        Duration measured,
        long cycles,
        long conflicts,
        long errors,
        List<String> firstErrors,
        Histogram acquire,
        Histogram release,
        Histogram cycle,
        CpuUsage cpu) {

    /** The baseline row: the server's lock store called in the benchmark's process ({@link StoreTarget}). */
    static final String STORE_LIMIT = "store-limit";

    /** The peer row: etcd's own lock on an etcd started for the run ({@link EtcdTarget}). */
    static final String ETCD = "etcd";

    /** Latencies from 1 µs up to a minute, to 3 significant digits. */
    static Histogram newHistogram() {
        return new Histogram(1, HIGHEST_MICROS, 3);
    }

    static final long HIGHEST_MICROS = Duration.ofMinutes(1).toNanos() / 1000;

    double cyclesPerSecond() {
        return perSecond(cycles);
    }

    double conflictsPerSecond() {
        return perSecond(conflicts);
    }

    /** Acquisition attempts, successful or not. */
    long attempts() {
        return cycles + conflicts;
    }

    boolean isEtcd() {
        return ETCD.equals(transport);
    }

    boolean isLimit() {
        return STORE_LIMIT.equals(transport);
    }

    private double perSecond(long count) {
        return count * 1e9 / measured.toNanos();
    }

    /**
     * Processor time in the measured window, each in microseconds, or -1 when unknown: the server process, the
     * benchmark process (load generator, and for the store limit on H2 the database too), and the whole machine
     * (so machine - server - bench is the database server plus anything else running).
     */
    record CpuUsage(long serverMicros, long benchMicros, long machineMicros) {
        static final CpuUsage UNKNOWN = new CpuUsage(-1, -1, -1);
    }
}
