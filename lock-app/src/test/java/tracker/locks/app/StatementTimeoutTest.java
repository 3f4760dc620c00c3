package tracker.locks.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.dropwizard.testing.ConfigOverride;
import io.dropwizard.testing.DropwizardTestSupport;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import tracker.locks.persistence.EmbeddedPostgresServer;

/** A database that hangs holds no request longer than the statement timeout: the request is answered 503. */
class StatementTimeoutTest {

    @Test
    void aStatementStuckInTheDatabaseIsCancelledAndAnswered503() throws Exception {
        String url = EmbeddedPostgresServer.newDatabaseUrl();
        DropwizardTestSupport<TrackerConfiguration> server = TrackerServers.on(url,
                ConfigOverride.config("database.user", "postgres"), ConfigOverride.config("statementTimeout", "1s"));
        server.before();
        try (Connection blocker = DriverManager.getConnection(url, "postgres", "postgres")) {
            Http http = new Http(server.getLocalPort());
            blocker.setAutoCommit(false);
            try (Statement statement = blocker.createStatement()) {
                statement.execute("LOCK TABLE locks IN ACCESS EXCLUSIVE MODE"); // every statement on locks now waits
            }

            Instant sent = Instant.now();
            Http.Answer stuck = http.post("/api/v1alpha1/lock", "{\"service\":\"deploy\",\"who\":\"ci\"}");
            Duration waited = Duration.between(sent, Instant.now());

            assertThat(stuck.status()).isEqualTo(503);
            assertThat(stuck.text("error")).isEqualTo("lock store unavailable, try again shortly");
            assertThat(waited).isBetween(Duration.ofMillis(900), Duration.ofSeconds(5));

            blocker.rollback();
            assertThat(http.post("/api/v1alpha1/lock", "{\"service\":\"deploy\",\"who\":\"ci\"}").status())
                    .isEqualTo(201);
        } finally {
            server.after();
        }
    }
}
