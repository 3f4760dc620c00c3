package tracker.locks.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.dropwizard.testing.DropwizardTestSupport;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** An acknowledged lock outlives the process that granted it, and tokens keep growing across the restart. */
class RestartEndToEndTest {

    @TempDir
    Path dataDirectory;

    @Test
    void aHeldLockIsStillHeldAfterTheServerRestartsOnTheSameDatabaseFile() throws Exception {
        String database = TrackerServers.h2File(dataDirectory);
        String id;
        long tokenBeforeRestart;

        DropwizardTestSupport<TrackerConfiguration> first = TrackerServers.on(database);
        first.before();
        try {
            Http.Answer created = new Http(first.getLocalPort()).post("/api/v1alpha1/lock",
                    "{\"service\":\"database-migration\",\"who\":\"migration-job-1\"}");
            assertThat(created.status()).isEqualTo(201);
            id = created.text("id");
            tokenBeforeRestart = created.json().get("token").asLong();
        } finally {
            first.after();
        }

        DropwizardTestSupport<TrackerConfiguration> second = TrackerServers.on(database);
        second.before();
        try {
            Http http = new Http(second.getLocalPort());
            assertThat(http.get("/api/v1alpha1/lock/" + id).text("who")).isEqualTo("migration-job-1");
            Http.Answer refused = http.post("/api/v1alpha1/lock",
                    "{\"service\":\"database-migration\",\"who\":\"migration-job-2\"}");
            assertThat(refused.status()).isEqualTo(409);
            assertThat(refused.json().get("existingLock").get("id").asText()).isEqualTo(id);
            assertThat(http.get("/api/v1alpha1/unlock/" + id).status()).isEqualTo(200);
            Http.Answer next = http.post("/api/v1alpha1/lock",
                    "{\"service\":\"database-migration\",\"who\":\"migration-job-2\"}");
            assertThat(next.json().get("token").asLong()).as("fencing token after the restart")
                    .isGreaterThan(tokenBeforeRestart);
        } finally {
            second.after();
        }
    }
}
