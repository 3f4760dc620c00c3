package tracker.locks.testkit;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A token made as an operator makes one, by {@code java -jar tracker.jar token create …}, and the tokens-file entry
 * it printed (its hash, never the token).
 *
 * @param token the secret, {@code trk_…}
 * @param entry the lines to append under {@code tokens:} in a tokens file
 */
public record CreatedToken(String token, String entry) {

    private static final AtomicLong RUNS = new AtomicLong();

    /** Runs {@code token create arguments…} (e.g. {@code --name ci --scopes read,write}) in {@code directory}. */
    public static CreatedToken create(Path directory, String... arguments) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("token", "create"));
        command.addAll(List.of(arguments));
        try (ServerProcess run = ServerProcess.start("token-create-" + ProcessHandle.current().pid() + "-"
                + RUNS.incrementAndGet(), Map.of(), directory, command)) {
            if (!run.awaitExit(Duration.ofSeconds(60)) || run.exitCode() != 0) {
                throw new IllegalStateException("token create " + String.join(" ", arguments) + " failed:\n"
                        + run.log());
            }
            List<String> lines = run.log().lines().toList();
            String token = lines.stream().map(String::strip).filter(line -> line.startsWith("trk_")).findFirst()
                    .orElseThrow(() -> new IllegalStateException("token create printed no token"));
            int entryStart = lines.indexOf(lines.stream().filter(line -> line.startsWith("  - name:")).findFirst()
                    .orElseThrow(() -> new IllegalStateException("token create printed no tokens-file entry")));
            return new CreatedToken(token, String.join("\n", lines.subList(entryStart, lines.size())) + "\n");
        }
    }
}
