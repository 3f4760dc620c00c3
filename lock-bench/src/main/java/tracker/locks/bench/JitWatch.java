package tracker.locks.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/**
 * The processor time a JVM's JIT compiler threads have used so far, from Linux's {@code /proc/<pid>/task}: how the
 * benchmark knows the server has finished compiling its hot paths. On two cores the C2 compiler needs well over a
 * minute of load for the server (measured: its big burst lasted 80 s after a transport's load began), so a fixed
 * warm-up measured some rows while it was still at work.
 */
final class JitWatch {

    /** Linux reports a thread's times in USER_HZ ticks, 100 per second on every mainstream architecture. */
    private static final long MICROS_PER_TICK = 10_000;

    private final Path tasks;

    private JitWatch(Path tasks) {
        this.tasks = tasks;
    }

    /** A watch on {@code process}'s compiler threads. */
    static JitWatch of(ProcessHandle process) {
        return new JitWatch(Path.of("/proc", Long.toString(process.pid()), "task"));
    }

    /** Processor microseconds (user + system) of the process's compiler threads so far; -1 when unreadable. */
    long compilerMicros() {
        try (Stream<Path> threads = Files.list(tasks)) {
            return threads.mapToLong(JitWatch::compilerTicks).sum() * MICROS_PER_TICK;
        } catch (IOException | UncheckedIOException e) {
            return -1;
        }
    }

    private static long compilerTicks(Path thread) {
        try {
            return compilerTicks(Files.readString(thread.resolve("stat")));
        } catch (IOException ended) {
            return 0; // the thread ended between the listing and the read
        }
    }

    /**
     * The user + system ticks of one {@code /proc/…/stat} line when it is a HotSpot compiler thread's ("C1
     * CompilerThre", "C2 CompilerThre": the name is cut at 15 characters), else 0.
     */
    static long compilerTicks(String stat) {
        int open = stat.indexOf('(');
        int close = stat.lastIndexOf(')');
        if (open < 0 || close < open) {
            return 0;
        }
        String name = stat.substring(open + 1, close);
        if (!name.matches("C[12] CompilerThre.*")) {
            return 0;
        }
        // After the name: state(3) ppid(4) … utime(14) stime(15); fields counted from 1, the name being field 2.
        String[] fields = stat.substring(close + 2).split(" ");
        return Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
    }
}
