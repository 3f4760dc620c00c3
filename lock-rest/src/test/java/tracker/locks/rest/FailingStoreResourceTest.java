package tracker.locks.rest;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.dropwizard.testing.junit5.DropwizardExtensionsSupport;
import io.dropwizard.testing.junit5.ResourceExtension;
import jakarta.ws.rs.client.Entity;
import jakarta.ws.rs.core.Response;
import java.io.IOException;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import tracker.locks.domain.model.LockStoreUnavailableException;
import tracker.locks.domain.model.ServiceStoppingException;
import tracker.locks.domain.testing.FailingLockUseCases;

/** When the store fails the client gets 503 (retry) or a bare 500, never internals. */
@ExtendWith(DropwizardExtensionsSupport.class)
class FailingStoreResourceTest {

    private static final ObjectMapper MAPPER = RestResources.MAPPER;

    /** What the broken store throws; each test chooses. */
    private Supplier<RuntimeException> failure;
    private final FailingLockUseCases useCases = new FailingLockUseCases(() -> failure.get());
    private final ResourceExtension resources = RestResources.over(useCases);

    @Test
    void anUnavailableStoreAnswers503WithRetryAfter() throws IOException {
        failure = () -> new LockStoreUnavailableException("the lock database is unavailable",
                new java.sql.SQLException("Connection refused", "08001"));

        for (Response response : everyEndpoint()) {
            assertThat(response.getStatus()).isEqualTo(503);
            assertThat(response.getHeaderString("Retry-After")).isEqualTo("1");
            com.fasterxml.jackson.databind.JsonNode body = LockResourceTest.json(response);
            assertThat(body.get("error").asText()).isEqualTo("lock store unavailable, try again shortly");
            assertThat(body.has("outcome")).as("nothing was done: no outcome to look for").isFalse();
        }
    }

    @Test
    void aChangeCutOffOnItsWayAnswers503SayingTheOutcomeIsUnknown() throws IOException {
        failure = () -> LockStoreUnavailableException.outcomeUnknown("the connection broke during a change",
                new java.sql.SQLException("An I/O error occurred while sending to the backend.", "08006"));

        for (Response response : everyEndpoint()) {
            assertThat(response.getStatus()).isEqualTo(503);
            assertThat(response.getHeaderString("Retry-After")).isEqualTo("1");
            com.fasterxml.jackson.databind.JsonNode body = LockResourceTest.json(response);
            assertThat(body.get("outcome").asText()).isEqualTo("unknown");
            assertThat(body.get("error").asText()).startsWith("lock store unavailable during the request, which may"
                    + " have taken effect: look for your lock").doesNotContain("08006", "I/O");
        }
    }

    @Test
    void aServerShuttingDownAnswers503WithRetryAfterSoTheClientGoesElsewhere() throws IOException {
        failure = ServiceStoppingException::new;

        Response response = resources.target("/api/v1alpha1/lock").request()
                .post(Entity.json("{\"service\":\"s\",\"who\":\"w\",\"wait\":\"30s\"}"));

        assertThat(response.getStatus()).isEqualTo(503);
        assertThat(response.getHeaderString("Retry-After")).isEqualTo("1");
        assertThat(LockResourceTest.json(response).get("error").asText())
                .isEqualTo("the server is shutting down: try again, on another instance");
    }

    @Test
    void anUnexpectedFailureAnswers500WithoutInternals() throws IOException {
        failure = () -> new IllegalStateException("SELECT secret FROM locks WHERE password = 'hunter2'");

        for (Response response : everyEndpoint()) {
            assertThat(response.getStatus()).isEqualTo(500);
            String body = response.readEntity(String.class);
            assertThat(MAPPER.readTree(body).get("error").asText()).isEqualTo("internal error");
            assertThat(body).doesNotContain("SELECT", "hunter2", "Exception", "at tracker");
        }
    }

    private Response[] everyEndpoint() {
        String id = "6f9619ff-8b86-4011-b42d-00c04fc964ff";
        return new Response[] {
            resources.target("/api/v1alpha1/lock").request().post(Entity.json("{\"service\":\"s\",\"who\":\"w\"}")),
            resources.target("/api/v1alpha1/lock/" + id).request().get(),
            resources.target("/api/v1alpha1/unlock/" + id).request().get(),
            resources.target("/api/v1alpha1/lock/" + id).request().delete(),
            resources.target("/api/v1alpha1/locks/list").request().get(),
            resources.target("/api/v1alpha1/lock/" + id + "/renew").request().post(Entity.json("{\"ttl\":\"5s\"}")),
        };
    }

}
