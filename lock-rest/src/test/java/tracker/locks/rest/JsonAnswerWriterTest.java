package tracker.locks.rest;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.SerializationFeature;
import io.dropwizard.testing.junit5.DropwizardExtensionsSupport;
import io.dropwizard.testing.junit5.ResourceExtension;
import jakarta.ws.rs.client.Entity;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import tracker.locks.domain.port.in.LockUseCases;
import tracker.locks.domain.testing.LockServices;

/**
 * The answers are written by the API's own writers, not by the Jackson provider Dropwizard registers beside them
 * (which hashes the resource method's annotations on every response). Told apart by the writers' mapper: it indents,
 * Dropwizard's does not.
 */
@ExtendWith(DropwizardExtensionsSupport.class)
class JsonAnswerWriterTest {

    private static final String CREATE = "{\"service\":\"deploy\",\"who\":\"ci\"}";

    private final LockUseCases locks = LockServices.inMemory();
    private final ResourceExtension resources = RestResources.behind((token, client) -> locks,
            RestResources.MAPPER.copy().enable(SerializationFeature.INDENT_OUTPUT));

    @Test
    void aNewLockIsWrittenByTheApisWriterWithItsLength() {
        Response response = post(CREATE);
        String body = response.readEntity(String.class);

        assertThat(response.getStatus()).isEqualTo(201);
        assertThat(body).as("indented by the API's writer").startsWith("{\n  \"id\"");
        assertThat(response.getHeaderString("Content-Length")).isEqualTo(String.valueOf(body.length()));
    }

    @Test
    void aReleaseIsWrittenByTheApisWriter() {
        String id = post(CREATE).readEntity(com.fasterxml.jackson.databind.JsonNode.class).get("id").asText();

        Response response = resources.target("/api/v1alpha1/lock/" + id).request().delete();

        assertThat(response.getStatus()).isEqualTo(200);
        assertThat(response.readEntity(String.class)).startsWith("{\n  \"success\"");
    }

    @Test
    void anErrorBodyIsWrittenByTheApisWriter() {
        post(CREATE);

        Response response = post(CREATE);

        assertThat(response.getStatus()).isEqualTo(409);
        assertThat(response.readEntity(String.class)).startsWith("{\n  \"error\"");
    }

    private Response post(String body) {
        return resources.target("/api/v1alpha1/lock").request().post(Entity.entity(body, MediaType.APPLICATION_JSON));
    }
}
