package tracker.locks.rest;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dropwizard.testing.junit5.DropwizardExtensionsSupport;
import io.dropwizard.testing.junit5.ResourceExtension;
import jakarta.ws.rs.client.Entity;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.io.IOException;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import tracker.locks.domain.service.LockService;
import tracker.locks.domain.testing.LockServices;

/** Waiting for a held key over REST, on the real clock with short waits. */
@ExtendWith(DropwizardExtensionsSupport.class)
class WaitingResourceTest {

    private static final ObjectMapper MAPPER = RestResources.MAPPER;

    private final LockService service = LockServices.inMemory();
    private final ResourceExtension resources = RestResources.over(service);

    @Test
    void aWaitThatEndsBeforeTheReleaseAnswersTheUsual409() throws IOException {
        String holder = json(post("/api/v1alpha1/lock", "{\"service\":\"deploy\",\"who\":\"first\"}"))
                .get("id").asText();

        Response response = resources.target("/api/v1alpha1/lock").request()
                .post(Entity.json("{\"service\":\"deploy\",\"who\":\"second\",\"wait\":\"300ms\",\"ttl\":\"1m\"}"));

        assertThat(response.getStatus()).isEqualTo(409);
        assertThat(json(response).get("existingLock").get("id").asText()).isEqualTo(holder);
    }

    @Test
    void aZeroWaitMeansDoNotWaitEvenWithoutTtl() throws IOException {
        String holder = json(post("/api/v1alpha1/lock", "{\"service\":\"deploy\",\"who\":\"first\"}"))
                .get("id").asText();

        Response held = resources.target("/api/v1alpha1/lock").request()
                .post(Entity.json("{\"service\":\"deploy\",\"who\":\"second\",\"wait\":\"0s\"}"));
        Response free = resources.target("/api/v1alpha1/lock").request()
                .post(Entity.json("{\"service\":\"other\",\"who\":\"second\",\"wait\":\"0s\"}"));

        assertThat(held.getStatus()).isEqualTo(409);
        assertThat(json(held).get("existingLock").get("id").asText()).isEqualTo(holder);
        assertThat(free.getStatus()).isEqualTo(201);
        assertThat(service.waiting()).isZero();
    }

    @Test
    void aWaitingRequestGetsTheLockWhenTheHolderReleases() throws Exception {
        String holder = json(post("/api/v1alpha1/lock", "{\"service\":\"deploy\",\"who\":\"first\"}"))
                .get("id").asText();
        CompletableFuture<Response> waiting = CompletableFuture.supplyAsync(() -> post("/api/v1alpha1/lock",
                "{\"service\":\"deploy\",\"who\":\"second\",\"wait\":\"20s\",\"ttl\":\"1m\"}"));
        Instant deadline = Instant.now().plusSeconds(5);
        while (service.waiting() == 0 && Instant.now().isBefore(deadline)) {
            Thread.sleep(5); // the waiting request is on its way into the line
        }
        assertThat(service.waiting()).isEqualTo(1);
        JsonNode listed = json(resources.target("/api/v1alpha1/locks/list").request().get()).get("locks").get(0);
        assertThat(listed.get("waiters").asInt()).as("the list says who waits for the key").isEqualTo(1);

        assertThat(resources.target("/api/v1alpha1/unlock/" + holder).request().get().getStatus()).isEqualTo(200);

        Response acquired = waiting.get(10, TimeUnit.SECONDS);
        assertThat(acquired.getStatus()).isEqualTo(201);
        assertThat(json(acquired).get("who").asText()).isEqualTo("second");
    }

    @Test
    void aWaitWithoutTtlIsRefusedBecauseTheServerCannotSeeTheClientLeave() throws IOException {
        Response response = post("/api/v1alpha1/lock", "{\"service\":\"deploy\",\"who\":\"ci\",\"wait\":\"5s\"}");

        assertThat(response.getStatus()).isEqualTo(400);
        assertThat(json(response).get("field").asText()).isEqualTo("ttl");
    }

    private Response post(String path, String body) {
        return resources.target(path).request().post(Entity.entity(body, MediaType.APPLICATION_JSON));
    }

    private static JsonNode json(Response response) throws IOException {
        return LockResourceTest.json(response);
    }
}
