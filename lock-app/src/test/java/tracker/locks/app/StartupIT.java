package tracker.locks.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tracker.locks.testkit.ServerProcess;

/**
 * How the shipped jar starts when a new user gets its command line slightly wrong: without a configuration file, from
 * another directory, with a file that is not there.
 */
class StartupIT {

    @TempDir
    Path directory;

    @Test
    void withoutAConfigurationFileItStartsOnTheBundledOneAndSaysWhereItsDatabaseIs() throws Exception {
        try (ServerProcess server = ServerProcess.start("startup-bundled", Map.of(), directory, List.of("server"))
                .awaitHealthy()) {
            Http http = new Http(server.httpPort());
            Http.Answer created = http.post("/api/v1alpha1/lock", "{\"service\":\"deploy\",\"who\":\"ci\"}");
            assertThat(created.status()).isEqualTo(201);

            Path file = directory.resolve("data").resolve("tracker.mv.db").toRealPath();
            assertThat(server.log()).contains("embedded H2 database: " + file);
        }
    }

    @Test
    void withLogFormatJsonEveryLogLineIsOneJsonObject() throws Exception {
        try (ServerProcess server = ServerProcess.start("startup-json-log", Map.of("LOG_FORMAT", "json",
                "DB_URL", TrackerServers.h2File(directory))).awaitHealthy()) {
            assertThat(new Http(server.httpPort()).post("/api/v1alpha1/lock", "{\"service\":\"deploy\",\"who\":"
                    + "\"ci\"}").status()).isEqualTo(201);
            List<String> lines = server.log().lines().filter(line -> !line.isBlank()).toList();

            assertThat(lines).as("the start-up logs something").isNotEmpty();
            com.fasterxml.jackson.databind.ObjectMapper json = new com.fasterxml.jackson.databind.ObjectMapper();
            for (String line : lines) {
                com.fasterxml.jackson.databind.JsonNode event = json.readTree(line);
                assertThat(event.isObject()).as(line).isTrue();
                assertThat(event.has("level") && event.has("message") && event.has("timestamp")).as(line).isTrue();
            }
            assertThat(lines).anyMatch(line -> line.contains("Started"));
        }
    }

    @Test
    void anUnknownLogFormatStopsTheStartInOneSentence() throws Exception {
        // access-json is a layout Dropwizard knows (for request logs): taken as is, it silenced the server's log.
        for (String format : List.of("xml", "access-json", "JSON", "")) {
            try (ServerProcess server = ServerProcess.start("startup-log-format-" + format.length(),
                    Map.of("LOG_FORMAT", format, "DB_URL", TrackerServers.h2File(directory)))) {
                assertThat(server.awaitExit(Duration.ofSeconds(60))).as("exited").isTrue();

                assertThat(server.exitCode()).isNotZero();
                assertThat(server.log().strip()).isEqualTo("LOG_FORMAT must be text or json, got \"" + format + "\"");
            }
        }
    }

    @Test
    void aConfigurationFileThatIsNotThereIsOneSentenceAndNoStackTrace() throws Exception {
        Path missing = directory.resolve("nowhere.yml");
        try (ServerProcess server = ServerProcess.start("startup-missing", Map.of(), directory,
                List.of("server", missing.toString()))) {
            assertThat(server.awaitExit(Duration.ofSeconds(60))).as("exited").isTrue();

            assertThat(server.exitCode()).isNotZero();
            assertThat(server.log().strip()).isEqualTo("configuration file not found: " + missing);
        }
    }

    @Test
    void aConfigurationPathThatIsADirectoryIsOneSentenceAndNoStackTrace() throws Exception {
        Path folder = Files.createDirectories(directory.resolve("config.yml"));
        try (ServerProcess server = ServerProcess.start("startup-directory", Map.of(), directory,
                List.of("server", folder.toString()))) {
            assertThat(server.awaitExit(Duration.ofSeconds(60))).as("exited").isTrue();

            assertThat(server.exitCode()).isNotZero();
            assertThat(server.log().strip()).isEqualTo("configuration file cannot be read: " + folder);
        }
    }
}
