package tracker.locks.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** {@code target/tracker-lock} as built, run as a separate process; its stdout and stderr kept in files. */
final class Cli implements AutoCloseable {

    private final Process process;
    private final Path out;
    private final Path err;

    private Cli(Process process, Path out, Path err) {
        this.process = process;
        this.out = out;
        this.err = err;
    }

    /** Starts {@code tracker-lock args…} in {@code directory} with {@code env} added to this JVM's environment. */
    static Cli start(Path directory, Map<String, String> env, String... args) {
        String executable = System.getProperty("tracker.lock");
        List<String> command = new ArrayList<>(List.of(executable));
        command.addAll(List.of(args));
        try {
            Path out = Files.createTempFile(directory, "cli", ".out");
            Path err = Files.createTempFile(directory, "cli", ".err");
            ProcessBuilder builder = new ProcessBuilder(command).directory(directory.toFile())
                    .redirectOutput(out.toFile()).redirectError(err.toFile());
            // The CI's own variables would change --who's default: each test says what it wants.
            builder.environment().keySet().removeIf(name -> name.startsWith("GITHUB_") || name.startsWith("CI_")
                    || name.equals("BUILD_TAG") || name.startsWith("TRACKER_"));
            builder.environment().putAll(env);
            return new Cli(builder.start(), out, err);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Runs to the end (at most a minute) and returns the exit status. */
    int exit() throws InterruptedException {
        return exitWithin(Duration.ofMinutes(1));
    }

    int exitWithin(Duration timeout) throws InterruptedException {
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("tracker-lock still running after " + timeout + "; stderr:\n" + err());
        }
        return process.exitValue();
    }

    long pid() {
        return process.pid();
    }

    boolean isAlive() {
        return process.isAlive();
    }

    String out() {
        return read(out);
    }

    String err() {
        return read(err);
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
    }
}
