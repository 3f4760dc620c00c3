package tracker.locks.rest;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dropwizard.testing.junit5.DropwizardExtensionsSupport;
import io.dropwizard.testing.junit5.ResourceExtension;
import jakarta.ws.rs.client.Entity;
import jakarta.ws.rs.client.WebTarget;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import tracker.locks.domain.testing.LockServices;
import tracker.locks.domain.testing.MutableClock;

/** The REST contract, status by status and body by body, over the in-memory store. */
@ExtendWith(DropwizardExtensionsSupport.class)
class LockResourceTest {

    private static final ObjectMapper MAPPER = RestResources.MAPPER;
    private static final String CREATED_AT = "\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}Z";

    private final MutableClock clock = new MutableClock(Instant.parse("2024-01-15T10:00:00.987654Z"));
    private final ResourceExtension resources = RestResources.over(LockServices.inMemory(clock));

    @Test
    void createAnswers201WithTheLockAndItsLocation() throws IOException {
        Response response = post("{\"service\":\"production-deployment\",\"who\":\"ci-pipeline-123\"}");
        JsonNode lock = json(response);

        assertThat(response.getStatus()).isEqualTo(201);
        assertThat(lock.properties()).extracting(java.util.Map.Entry::getKey)
                .containsExactly("id", "service", "who", "createdAt", "token");
        assertThat(lock.get("id").asText()).matches("[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}");
        assertThat(lock.get("service").asText()).isEqualTo("production-deployment");
        assertThat(lock.get("who").asText()).isEqualTo("ci-pipeline-123");
        assertThat(lock.get("createdAt").asText()).isEqualTo("2024-01-15T10:00:00Z");
        assertThat(response.getLocation().getPath()).isEqualTo("/api/v1alpha1/lock/" + lock.get("id").asText());
    }

    @Test
    void createKeepsTheOptionalFieldsAndIgnoresUnknownOnes() throws IOException {
        JsonNode lock = json(post("{\"service\":\"billing\",\"who\":\"ci\",\"environment\":\"prod\","
                + "\"resource\":\"db\",\"eventId\":\"evt-1\",\"colour\":\"blue\",\"nested\":{\"a\":[1,2]}}"));

        assertThat(lock.get("environment").asText()).isEqualTo("prod");
        assertThat(lock.get("resource").asText()).isEqualTo("db");
        assertThat(lock.get("eventId").asText()).isEqualTo("evt-1");
        assertThat(lock.has("colour")).isFalse();
    }

    @ParameterizedTest(name = "Content-Type {0}")
    @ValueSource(strings = {"application/json", "application/json; charset=utf-8", "text/plain",
        "application/x-www-form-urlencoded"})
    void createReadsTheBodyAsJsonWhateverTheContentType(String contentType) {
        Response response = resources.target("/api/v1alpha1/lock").request()
                .post(Entity.entity("{\"service\":\"deploy\",\"who\":\"ci\"}", contentType));

        assertThat(response.getStatus()).isEqualTo(201);
    }

    @Test
    void aSecondCreateOnTheSameServiceAnswers409NamingTheHolderWithoutATopLevelId() throws IOException {
        JsonNode holder = json(post("{\"service\":\"deploy\",\"who\":\"first\"}"));
        clock.advance(Duration.ofMinutes(5));

        Response response = post("{\"service\":\"deploy\",\"who\":\"second\"}");
        JsonNode conflict = json(response);

        assertThat(response.getStatus()).isEqualTo(409);
        assertThat(conflict.get("error").asText()).isEqualTo("lock already exists");
        assertThat(conflict.has("id")).isFalse();
        assertThat(conflict.get("existingLock")).isEqualTo(holder);
    }

    @Test
    void getAnswersTheLockOr404() throws IOException {
        JsonNode created = json(post("{\"service\":\"deploy\",\"who\":\"ci\"}"));
        String id = created.get("id").asText();

        Response found = get("/api/v1alpha1/lock/" + id);
        assertThat(found.getStatus()).isEqualTo(200);
        JsonNode withWaiters = ((com.fasterxml.jackson.databind.node.ObjectNode) created.deepCopy()).put("waiters", 0);
        assertThat(json(found)).as("the lock, and how many wait for its key").isEqualTo(withWaiters);

        Response upperCase = get("/api/v1alpha1/lock/" + id.toUpperCase());
        assertThat(json(upperCase)).isEqualTo(withWaiters);

        resources.target("/api/v1alpha1/unlock/" + id).request().get().close();
        Response gone = get("/api/v1alpha1/lock/" + id);
        assertThat(gone.getStatus()).isEqualTo(404);
        assertThat(json(gone)).isEqualTo(MAPPER.readTree("{\"error\":\"lock not found\",\"id\":\"" + id + "\"}"));
    }

    @Test
    void unlockReleasesOnceThenAnswers404WithSuccessFalse() throws IOException {
        String id = json(post("{\"service\":\"deploy\",\"who\":\"ci\"}")).get("id").asText();

        Response released = get("/api/v1alpha1/unlock/" + id);
        assertThat(released.getStatus()).isEqualTo(200);
        assertThat(json(released))
                .isEqualTo(MAPPER.readTree("{\"success\":true,\"message\":\"Lock released successfully\"}"));

        Response again = get("/api/v1alpha1/unlock/" + id);
        assertThat(again.getStatus()).isEqualTo(404);
        assertThat(json(again)).isEqualTo(
                MAPPER.readTree("{\"success\":false,\"error\":\"lock not found\",\"id\":\"" + id + "\"}"));

        assertThat(post("{\"service\":\"deploy\",\"who\":\"next\"}").getStatus()).isEqualTo(201);
    }

    @Test
    void deleteIsTheSameReleaseWithTheRestVerb() throws IOException {
        String id = json(post("{\"service\":\"deploy\",\"who\":\"ci\"}")).get("id").asText();

        Response released = resources.target("/api/v1alpha1/lock/" + id).request().delete();
        assertThat(released.getStatus()).isEqualTo(200);
        assertThat(json(released).get("success").asBoolean()).isTrue();

        Response again = resources.target("/api/v1alpha1/lock/" + id).request().delete();
        assertThat(again.getStatus()).isEqualTo(404);
        assertThat(json(again).get("success").asBoolean()).isFalse();
    }

    @ParameterizedTest(name = "id \"{0}\"")
    @ValueSource(strings = {"507f1f77bcf86cd799439011", "not-a-uuid", "1-2-3-4-5", "%20", "null",
        "00000000-0000-0000-0000-000000000000", "%27%3B%20DROP%20TABLE%20locks%3B--", "%C3%A9t%C3%A9"})
    void idsThatNameNoLockAnswer404Json(String id) throws IOException {
        for (Response response : List.of(get("/api/v1alpha1/lock/" + id), get("/api/v1alpha1/unlock/" + id),
                resources.target("/api/v1alpha1/lock/" + id).request().delete())) {
            assertThat(response.getStatus()).isEqualTo(404);
            assertThat(json(response).get("error").asText()).isEqualTo("lock not found");
        }
    }

    @Test
    void listPagesOldestFirstWithTotalsAndTheGuidesDefaults() throws IOException {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            ids.add(json(post("{\"service\":\"s" + i + "\",\"who\":\"ci\"}")).get("id").asText());
            clock.advance(Duration.ofSeconds(1));
        }

        JsonNode all = json(get("/api/v1alpha1/locks/list"));
        assertThat(all.get("total").asLong()).isEqualTo(5);
        assertThat(all.get("page").asInt()).isEqualTo(1);
        assertThat(all.get("perPage").asInt()).isEqualTo(100);
        assertThat(all.get("locks").findValuesAsText("id")).containsExactlyElementsOf(ids);

        JsonNode second = json(get("/api/v1alpha1/locks/list?per_page=2&page=2"));
        assertThat(second.get("locks").findValuesAsText("id")).containsExactlyElementsOf(ids.subList(2, 4));
        assertThat(second.get("total").asLong()).isEqualTo(5);
        assertThat(second.get("perPage").asInt()).isEqualTo(2);
        assertThat(second.get("page").asInt()).isEqualTo(2);
        assertThat(second.get("locks").get(0).get("createdAt").asText()).matches(CREATED_AT);

        JsonNode beyond = json(get("/api/v1alpha1/locks/list?per_page=1000&page=99"));
        assertThat(beyond.get("locks")).isEmpty();
        assertThat(beyond.get("total").asLong()).isEqualTo(5);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({
        "per_page=0, per_page",
        "per_page=1001, per_page",
        "per_page=-1, per_page",
        "per_page=abc, per_page",
        "per_page=1.5, per_page",
        "per_page=, per_page",
        "per_page=99999999999, per_page",
        "page=0, page",
        "page=-3, page",
        "page=x, page",
        "per_page=10&page=0, page",
        "per_page=%EF%BC%95, per_page",
        "page=%D9%A3, page",
    })
    void listRefusesPagingOutOfRange(String query, String field) throws IOException {
        Response response = get("/api/v1alpha1/locks/list?" + query);

        assertThat(response.getStatus()).isEqualTo(400);
        JsonNode error = json(response);
        assertThat(error.get("field").asText()).isEqualTo(field);
        assertThat(error.get("error").asText()).startsWith(field + " must");
    }

    @ParameterizedTest(name = "body {0}")
    @CsvSource(delimiter = '|', value = {
        "''                                        | request body must be a JSON object",
        "'   '                                     | request body must be a JSON object",
        "null                                      | request body must be a JSON object",
        "[]                                        | request body must be a JSON object",
        "'\"deploy\"'                              | request body must be a JSON object",
        "42                                        | request body must be a JSON object",
        "'{\"service\":'                           | malformed JSON",
        "'{service:\"x\",who:\"y\"}'               | malformed JSON",
        "'{\"service\":\"a\",\"who\":\"b\"} trailing' | malformed JSON",
        "'{\"service\":\"a\",\"service\":\"b\",\"who\":\"c\"}' | malformed JSON",
    })
    void unreadableBodiesAnswer400(String body, String errorStart) throws IOException {
        Response response = post(body);

        assertThat(response.getStatus()).isEqualTo(400);
        assertThat(json(response).get("error").asText()).startsWith(errorStart);
    }

    @ParameterizedTest(name = "body {0}")
    @CsvSource(delimiter = '|', value = {
        "'{\"who\":\"ci\"}'                          | service | service is required",
        "'{\"service\":null,\"who\":\"ci\"}'         | service | service is required",
        "'{\"service\":\"deploy\"}'                  | who     | who is required",
        "'{\"service\":\"  \",\"who\":\"ci\"}'       | service | service must not be blank",
        "'{\"service\":\"deploy\",\"who\":\"\"}'     | who     | who must not be blank",
        "'{\"service\":123,\"who\":\"ci\"}'          | service | service must be a string, got number",
        "'{\"service\":\"deploy\",\"who\":true}'     | who     | who must be a string, got boolean",
        "'{\"service\":{},\"who\":\"ci\"}'           | service | service must be a string, got object",
        "'{\"service\":[\"a\"],\"who\":\"ci\"}'      | service | service must be a string, got array",
        "'{\"service\":\"d\",\"who\":\"c\",\"environment\":1}' | environment | environment must be a string, got number",
        "'{\"service\":\"de\\nploy\",\"who\":\"ci\"}' | service | service must not contain control characters",
        "'{\"service\":\"deploy\",\"who\":\"c\\u0000i\"}' | who | who must not contain control characters",
    })
    void invalidFieldsAnswer400NamingTheField(String body, String field, String error) throws IOException {
        Response response = post(body);

        assertThat(response.getStatus()).isEqualTo(400);
        JsonNode json = json(response);
        assertThat(json.get("field").asText()).isEqualTo(field);
        assertThat(json.get("error").asText()).isEqualTo(error);
    }

    @Test
    void fieldsLongerThan255CharactersAnswer400() throws IOException {
        Response response = post("{\"service\":\"" + "x".repeat(256) + "\",\"who\":\"ci\"}");

        assertThat(response.getStatus()).isEqualTo(400);
        assertThat(json(response).get("error").asText())
                .isEqualTo("service must be at most 255 characters, got 256");
        assertThat(post("{\"service\":\"" + "x".repeat(255) + "\",\"who\":\"ci\"}").getStatus()).isEqualTo(201);
    }

    @Test
    void bodiesLargerThan64KibAnswer413AndLockNothing() throws IOException {
        String padding = "x".repeat(JsonBody.MAX_BYTES);
        Response response = post("{\"service\":\"deploy\",\"who\":\"ci\",\"padding\":\"" + padding + "\"}");

        assertThat(response.getStatus()).isEqualTo(413);
        assertThat(json(response).get("error").asText()).contains("larger than");
        assertThat(json(get("/api/v1alpha1/locks/list")).get("total").asLong()).isZero();
    }

    @Test
    void aBodyOfExactly64KibIsRead() throws IOException {
        String start = "{\"service\":\"deploy\",\"who\":\"ci\",\"padding\":\"";
        String body = start + "x".repeat(JsonBody.MAX_BYTES - start.length() - 2) + "\"}";
        assertThat(body).hasSize(JsonBody.MAX_BYTES);

        assertThat(post(body).getStatus()).isEqualTo(201);
    }

    @Test
    void jerseysOwnRefusalsAreJsonToo() throws IOException {
        Response unknownPath = get("/api/v1alpha1/nothing-here");
        assertThat(unknownPath.getStatus()).isEqualTo(404);
        assertThat(json(unknownPath).get("error").asText()).isEqualTo("not found");

        Response wrongMethod = resources.target("/api/v1alpha1/lock").request()
                .put(Entity.json("{\"service\":\"deploy\",\"who\":\"ci\"}"));
        assertThat(wrongMethod.getStatus()).isEqualTo(405);
        assertThat(json(wrongMethod).get("error").asText()).isEqualTo("method not allowed");
    }

    @Test
    void optionsNamesTheAllowedMethodsInJson() throws IOException {
        Response options = resources.target("/api/v1alpha1/lock/3b7c2a8e-4f1d-4c3a-9a57-1f2e3d4c5b6a").request()
                .options();

        assertThat(options.getStatus()).isEqualTo(200);
        assertThat(options.getMediaType().toString()).startsWith("application/json");
        assertThat(json(options).get("allow")).extracting(JsonNode::asText)
                .containsExactly("DELETE", "GET", "HEAD", "OPTIONS");
        assertThat(options.getHeaderString("Allow")).contains("DELETE", "GET");
    }

    private Response post(String body) {
        return resources.target("/api/v1alpha1/lock").request().post(Entity.entity(body, MediaType.APPLICATION_JSON));
    }

    /** GET {@code pathAndQuery}; the query is added parameter by parameter, as a path would encode its "?". */
    private Response get(String pathAndQuery) {
        String[] parts = pathAndQuery.split("\\?", 2);
        WebTarget target = resources.target(parts[0]);
        if (parts.length == 2) {
            for (String parameter : parts[1].split("&")) {
                String[] nameValue = parameter.split("=", 2);
                target = target.queryParam(nameValue[0], nameValue.length == 2 ? nameValue[1] : "");
            }
        }
        return target.request().get();
    }

    /** The body as JSON, after checking that the answer is declared JSON: every answer, error or not, must be. */
    static JsonNode json(Response response) throws IOException {
        assertThat(response.getMediaType().isCompatible(MediaType.APPLICATION_JSON_TYPE))
                .as("media type of a %d answer", response.getStatus()).isTrue();
        return MAPPER.readTree(response.readEntity(String.class));
    }
}
