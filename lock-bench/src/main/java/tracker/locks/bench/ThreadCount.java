package tracker.locks.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** How many threads a process has now, from Linux's {@code /proc/<pid>/status}: what a server's waiting costs. */
final class ThreadCount {

    private static final String FIELD = "Threads:";

    private ThreadCount() {
    }

    /** The process's threads now; -1 when it cannot be read (no /proc, or the process is gone). */
    static int of(ProcessHandle process) {
        try {
            return Files.readAllLines(Path.of("/proc", Long.toString(process.pid()), "status")).stream()
                    .filter(line -> line.startsWith(FIELD))
                    .mapToInt(line -> Integer.parseInt(line.substring(FIELD.length()).trim()))
                    .findFirst().orElse(-1);
        } catch (IOException | NumberFormatException e) {
            return -1;
        }
    }
}
