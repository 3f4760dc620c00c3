package tracker.locks.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.dropwizard.testing.ConfigOverride;
import io.dropwizard.testing.DropwizardTestSupport;
import org.junit.jupiter.api.Test;
import tracker.locks.persistence.EmbeddedPostgresServer;

/** The same server on PostgreSQL: only the database URL (and its user) changes. */
class PostgresEndToEndTest {

    @Test
    void theGuideFlowWorksOnPostgresql() throws Exception {
        DropwizardTestSupport<TrackerConfiguration> server = TrackerServers.on(
                EmbeddedPostgresServer.newDatabaseUrl(), ConfigOverride.config("database.user", "postgres"));
        server.before();
        try {
            Http http = new Http(server.getLocalPort());
            Http.Answer created = http.post("/api/v1alpha1/lock", "{\"service\":\"deploy\",\"who\":\"ci\"}");
            assertThat(created.status()).isEqualTo(201);
            assertThat(http.post("/api/v1alpha1/lock", "{\"service\":\"deploy\",\"who\":\"other\"}").status())
                    .isEqualTo(409);
            assertThat(http.get("/api/v1alpha1/locks/list").json().get("total").asInt()).isEqualTo(1);
            assertThat(http.delete("/api/v1alpha1/lock/" + created.text("id")).status()).isEqualTo(200);
            assertThat(new Http(server.getAdminPort()).get("/healthcheck").status()).isEqualTo(200);
        } finally {
            server.after();
        }
    }
}
