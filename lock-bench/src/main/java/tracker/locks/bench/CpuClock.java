package tracker.locks.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/** Reads processor time used so far by the server process, this process and the whole machine. */
final class CpuClock {

    /** Linux reports /proc/stat in USER_HZ ticks, 100 per second on every mainstream architecture. */
    private static final long MICROS_PER_TICK = 10_000;
    private static final Path PROC_STAT = Path.of("/proc/stat");

    private final Optional<ProcessHandle> server;

    CpuClock(Optional<ProcessHandle> server) {
        this.server = server;
    }

    record Reading(long serverMicros, long benchMicros, long machineMicros) {
    }

    Reading read() {
        return new Reading(
                server.flatMap(process -> process.info().totalCpuDuration()).map(CpuClock::micros).orElse(-1L),
                benchMicros(),
                machineBusyMicros());
    }

    static Measurement.CpuUsage between(Reading start, Reading end) {
        return new Measurement.CpuUsage(
                difference(start.serverMicros(), end.serverMicros()),
                difference(start.benchMicros(), end.benchMicros()),
                difference(start.machineMicros(), end.machineMicros()));
    }

    private static long difference(long start, long end) {
        return start < 0 || end < 0 ? -1 : end - start;
    }

    private static long micros(Duration duration) {
        return duration.toNanos() / 1000;
    }

    private static long benchMicros() {
        if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
            long nanos = os.getProcessCpuTime();
            return nanos < 0 ? -1 : nanos / 1000;
        }
        return -1;
    }

    /** user + nice + system + irq + softirq + steal of all processors, from the first line of /proc/stat. */
    static long machineBusyMicros() {
        try {
            String first = Files.readAllLines(PROC_STAT).get(0);
            return busyTicks(first) * MICROS_PER_TICK;
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    static long busyTicks(String cpuLine) {
        String[] fields = cpuLine.trim().split("\\s+");
        if (!fields[0].equals("cpu") || fields.length < 8) {
            throw new IllegalArgumentException("not the cpu line of /proc/stat: " + cpuLine);
        }
        long busy = 0;
        int[] busyFields = {1, 2, 3, 6, 7}; // user nice system (idle iowait skipped) irq softirq
        for (int field : busyFields) {
            busy += Long.parseLong(fields[field]);
        }
        if (fields.length > 8) {
            busy += Long.parseLong(fields[8]); // steal
        }
        return busy;
    }
}
