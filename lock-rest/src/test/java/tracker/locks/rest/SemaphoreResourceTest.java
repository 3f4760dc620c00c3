package tracker.locks.rest;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.dropwizard.testing.junit5.DropwizardExtensionsSupport;
import io.dropwizard.testing.junit5.ResourceExtension;
import jakarta.ws.rs.client.Entity;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.io.IOException;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import tracker.locks.domain.service.LockService;
import tracker.locks.domain.testing.LockServices;

/** Semaphores, shared holders and the queue over REST. */
@ExtendWith(DropwizardExtensionsSupport.class)
class SemaphoreResourceTest {

    private final LockService service = LockServices.inMemory();
    private final ResourceExtension resources = RestResources.over(service);

    @Test
    void aLimitOfTwoAdmitsTwoHoldersAndTheConflictNamesBothWithTheOldestAsExistingLock() throws IOException {
        JsonNode first = json(post("{\"service\":\"deploy\",\"environment\":\"prod\",\"who\":\"a\",\"limit\":2}", 201));
        JsonNode second = json(post("{\"service\":\"deploy\",\"environment\":\"prod\",\"who\":\"b\",\"limit\":2}", 201));
        assertThat(first.get("limit").asInt()).isEqualTo(2);
        assertThat(first.has("mode")).as("exclusive is the default and not shown").isFalse();
        assertThat(second.get("token").asLong()).isGreaterThan(first.get("token").asLong());

        JsonNode conflict = json(post("{\"service\":\"deploy\",\"environment\":\"prod\",\"who\":\"c\",\"limit\":2}",
                409));
        assertThat(conflict.get("error").asText()).isEqualTo("lock already exists");
        assertThat(conflict.get("existingLock")).isEqualTo(first);
        assertThat(conflict.get("holders")).containsExactly(first, second);
    }

    @Test
    void aWholeNumberWrittenWithAFractionOrExponentIsALimit() throws IOException {
        assertThat(json(post("{\"service\":\"a\",\"who\":\"x\",\"limit\":2.0}", 201)).get("limit").asInt())
                .isEqualTo(2);
        assertThat(json(post("{\"service\":\"b\",\"who\":\"x\",\"limit\":1e3}", 201)).get("limit").asInt())
                .isEqualTo(1000);
    }

    @Test
    void aRequestWithAnotherLimitIsRefusedSayingSo() throws IOException {
        JsonNode holder = json(post("{\"service\":\"deploy\",\"who\":\"a\",\"limit\":2}", 201));

        JsonNode conflict = json(post("{\"service\":\"deploy\",\"who\":\"b\",\"limit\":3}", 409));
        JsonNode plain = json(post("{\"service\":\"deploy\",\"who\":\"c\"}", 409));

        assertThat(conflict.get("error").asText()).contains("another limit");
        assertThat(conflict.get("holders")).containsExactly(holder);
        assertThat(plain.get("existingLock")).isEqualTo(holder);
    }

    @Test
    void sharedHoldersHoldTogetherAndAnExclusiveRequestIsRefused() throws IOException {
        JsonNode reader = json(post("{\"service\":\"schema\",\"who\":\"r1\",\"mode\":\"shared\"}", 201));
        JsonNode another = json(post("{\"service\":\"schema\",\"who\":\"r2\",\"mode\":\"shared\"}", 201));
        assertThat(reader.get("mode").asText()).isEqualTo("shared");
        assertThat(reader.has("limit")).isFalse();

        JsonNode migration = json(post("{\"service\":\"schema\",\"who\":\"migrate\",\"mode\":\"exclusive\"}", 409));
        assertThat(migration.get("holders")).containsExactly(reader, another);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "\"limit\":0|limit|between 1 and 1000",
        "\"limit\":1001|limit|between 1 and 1000",
        "\"limit\":-3|limit|between 1 and 1000",
        "\"limit\":1.5|limit|whole number",
        "\"limit\":\"2\"|limit|whole number",
        "\"limit\":1e400|limit|out of range",
        "\"limit\":1e2147483647|limit|out of range",
        "\"limit\":999.99999999999999999|limit|whole number",
        "\"limit\":1e-2147483647|limit|whole number",
        "\"limit\":99999999999999999999|limit|out of range",
        "\"limit\":4294967298|limit|out of range",
        "\"limit\":2.5e3|limit|between 1 and 1000",
        "\"mode\":\"Shared\"|mode|exclusive or shared",
        "\"mode\":7|mode|must be a string",
        "\"mode\":\"shared\",\"limit\":2|limit|shared holders"})
    void aBadLimitOrModeIsA400NamingTheField(String fields, String field, String message) throws IOException {
        JsonNode refused = json(post("{\"service\":\"deploy\",\"who\":\"a\"," + fields + "}", 400));

        assertThat(refused.get("field").asText()).isEqualTo(field);
        assertThat(refused.get("error").asText()).contains(message);
    }

    @Test
    void theQueueListsTheWaitersInOrderAndGetCountsThem() throws Exception {
        JsonNode holder = json(post("{\"service\":\"deploy\",\"who\":\"holder\"}", 201));
        CompletableFuture<Response> first = waiting("{\"service\":\"deploy\",\"who\":\"w1\",\"wait\":\"10s\",\"ttl\":\"1m\"}");
        awaitQueued(1);
        CompletableFuture<Response> second = waiting(
                "{\"service\":\"deploy\",\"who\":\"w2\",\"wait\":\"10s\",\"ttl\":\"1m\",\"mode\":\"shared\"}");
        awaitQueued(2);

        JsonNode queue = json(resources.target("/api/v1alpha1/locks/queue").queryParam("service", "deploy")
                .request().get());
        assertThat(queue.get("total").asInt()).isEqualTo(2);
        assertThat(queue.get("waiters").get(0).get("who").asText()).isEqualTo("w1");
        assertThat(queue.get("waiters").get(0).get("position").asInt()).isEqualTo(1);
        assertThat(queue.get("waiters").get(0).get("mode").asText()).isEqualTo("exclusive");
        assertThat(queue.get("waiters").get(0).get("since").asText()).matches("\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}Z");
        assertThat(queue.get("waiters").get(1).get("who").asText()).isEqualTo("w2");
        assertThat(queue.get("waiters").get(1).get("position").asInt()).isEqualTo(2);
        assertThat(queue.get("waiters").get(1).get("mode").asText()).isEqualTo("shared");
        JsonNode got = json(resources.target("/api/v1alpha1/lock/" + holder.get("id").asText()).request().get());
        assertThat(got.get("waiters").asInt()).isEqualTo(2);
        JsonNode otherKey = json(resources.target("/api/v1alpha1/locks/queue").queryParam("service", "deploy")
                .queryParam("environment", "prod").request().get());
        assertThat(otherKey.get("total").asInt()).isZero();

        service.release(holder.get("id").asText());
        assertThat(first.get(5, TimeUnit.SECONDS).getStatus()).isEqualTo(201);
        second.cancel(true);
    }

    @Test
    void theQueueNeedsAService() throws IOException {
        Response response = resources.target("/api/v1alpha1/locks/queue").request().get();

        assertThat(response.getStatus()).isEqualTo(400);
        assertThat(json(response).get("field").asText()).isEqualTo("service");
    }

    private CompletableFuture<Response> waiting(String body) {
        return CompletableFuture.supplyAsync(() -> resources.target("/api/v1alpha1/lock").request()
                .post(Entity.entity(body, MediaType.APPLICATION_JSON)));
    }

    private void awaitQueued(int length) throws InterruptedException {
        Instant deadline = Instant.now().plusSeconds(5);
        while (service.waiting() < length) {
            assertThat(Instant.now()).isBefore(deadline);
            Thread.sleep(5);
        }
    }

    private Response post(String body, int expectedStatus) {
        Response response = resources.target("/api/v1alpha1/lock").request()
                .post(Entity.entity(body, MediaType.APPLICATION_JSON));
        assertThat(response.getStatus()).as(body).isEqualTo(expectedStatus);
        return response;
    }

    private static JsonNode json(Response response) throws IOException {
        return LockResourceTest.json(response);
    }
}
