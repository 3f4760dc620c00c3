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
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import tracker.locks.domain.testing.LockServices;
import tracker.locks.domain.testing.MutableClock;

/** Leases, renewal, tokens and waiting over REST. */
@ExtendWith(DropwizardExtensionsSupport.class)
class LockLeaseResourceTest {

    private static final ObjectMapper MAPPER = RestResources.MAPPER;

    private final MutableClock clock = new MutableClock(Instant.parse("2024-01-15T10:00:00.987654Z"));
    private final ResourceExtension resources = RestResources.over(LockServices.inMemory(clock));

    @ParameterizedTest(name = "ttl {0}")
    @CsvSource(delimiter = '|', value = {
        "'\"30s\"'   | 2024-01-15T10:00:30Z",
        "'\"10m\"'   | 2024-01-15T10:10:00Z",
        "'\"2h\"'    | 2024-01-15T12:00:00Z",
        "'\"500ms\"' | 2024-01-15T10:00:01Z",
        "'\"PT45S\"' | 2024-01-15T10:00:45Z",
        "'\"90\"'    | 2024-01-15T10:01:30Z",
        "90          | 2024-01-15T10:01:30Z",
        "1.5         | 2024-01-15T10:00:02Z",
    })
    void aTtlGivesTheLockAnExpiryInTheSameFormAsCreatedAt(String ttl, String expiresAt) throws IOException {
        Response response = post("/api/v1alpha1/lock", "{\"service\":\"deploy\",\"who\":\"ci\",\"ttl\":" + ttl + "}");
        JsonNode lock = json(response);

        assertThat(response.getStatus()).isEqualTo(201);
        assertThat(lock.get("createdAt").asText()).isEqualTo("2024-01-15T10:00:00Z");
        assertThat(lock.get("expiresAt").asText()).isEqualTo(expiresAt);
        assertThat(lock.get("token").isIntegralNumber()).isTrue();
    }

    @ParameterizedTest(name = "{0}: {1}")
    @CsvSource(delimiter = '|', value = {
        "ttl  | '\"abc\"'            | ttl must be a duration such as",
        "ttl  | '\"5 minutes\"'      | ttl must be a duration such as",
        "ttl  | '\"-5s\"'            | ttl must be at least 1ms",
        "ttl  | '\"0\"'              | ttl must be at least 1ms",
        "ttl  | 0                    | ttl must be at least 1ms",
        "ttl  | -1                   | ttl must be at least 1ms",
        "ttl  | true                 | ttl must be a duration such as",
        "ttl  | '{}'                 | ttl must be a duration such as",
        "ttl  | '\"25h\"'            | ttl must be at most 24h, got 25h",
        "ttl  | '\"99999999999999h\"' | ttl is far too long",
        "ttl  | 1e300                | ttl is far too long",
        "ttl  | 1e400                | ttl is far too long",
        "ttl  | -1e400               | ttl must be at least 1ms, got -1E+400",
        "ttl  | 1e-2147483647        | ttl must be at least 1ms, got 0ms",
        "ttl  | 86400.0001           | ttl must be at most 24h, got PT24H0.0001S",
        "wait | 1e400                | wait is far too long",
        "wait | '\"-1s\"'            | wait must be at least 1ms",
        "wait | '\"2m\"'             | wait must be at most 1m, got 2m",
        "wait | '\"soon\"'           | wait must be a duration such as",
    })
    void badDurationsAnswer400NamingTheFieldAndLockNothing(String field, String value, String error)
            throws IOException {
        Response response = post("/api/v1alpha1/lock",
                "{\"service\":\"deploy\",\"who\":\"ci\",\"" + field + "\":" + value + "}");

        assertThat(response.getStatus()).isEqualTo(400);
        JsonNode body = json(response);
        assertThat(body.get("field").asText()).isEqualTo(field);
        assertThat(body.get("error").asText()).startsWith(error);
        assertThat(json(resources.target("/api/v1alpha1/locks/list").request().get()).get("total").asInt())
                .isZero();
    }

    @Test
    void renewingMovesTheExpiryAndAnExpiredLockCannotBeRenewedOrFound() throws IOException {
        JsonNode lock = json(post("/api/v1alpha1/lock", "{\"service\":\"deploy\",\"who\":\"ci\",\"ttl\":\"30s\"}"));
        String id = lock.get("id").asText();
        clock.advance(Duration.ofSeconds(20));

        Response renewed = post("/api/v1alpha1/lock/" + id + "/renew", "{\"ttl\":\"1m\"}");
        assertThat(renewed.getStatus()).isEqualTo(200);
        JsonNode renewedLock = json(renewed);
        assertThat(renewedLock.get("expiresAt").asText()).isEqualTo("2024-01-15T10:01:20Z");
        assertThat(renewedLock.get("token")).isEqualTo(lock.get("token"));

        clock.advance(Duration.ofSeconds(61));
        Response late = post("/api/v1alpha1/lock/" + id + "/renew", "{\"ttl\":\"1m\"}");
        assertThat(late.getStatus()).isEqualTo(404);
        assertThat(json(late).get("error").asText()).isEqualTo("lock not found");
        assertThat(resources.target("/api/v1alpha1/lock/" + id).request().get().getStatus()).isEqualTo(404);
        assertThat(resources.target("/api/v1alpha1/unlock/" + id).request().get().getStatus()).isEqualTo(404);
    }

    @Test
    void renewingNeedsATtlWhenTheServerHasNoDefaultLease() throws IOException {
        String id = json(post("/api/v1alpha1/lock", "{\"service\":\"deploy\",\"who\":\"ci\",\"ttl\":\"30s\"}"))
                .get("id").asText();

        Response empty = post("/api/v1alpha1/lock/" + id + "/renew", "");
        Response array = post("/api/v1alpha1/lock/" + id + "/renew", "[]");

        assertThat(empty.getStatus()).isEqualTo(400);
        assertThat(json(empty).get("field").asText()).isEqualTo("ttl");
        assertThat(array.getStatus()).isEqualTo(400);
    }

    @Test
    void theTakeoverOfAnExpiredLockCarriesAGreaterToken() throws IOException {
        JsonNode first = json(post("/api/v1alpha1/lock", "{\"service\":\"deploy\",\"who\":\"a\",\"ttl\":\"10s\"}"));
        clock.advance(Duration.ofSeconds(11));

        JsonNode second = json(post("/api/v1alpha1/lock", "{\"service\":\"deploy\",\"who\":\"b\"}"));

        assertThat(second.get("token").asLong()).isGreaterThan(first.get("token").asLong());
        assertThat(second.has("expiresAt")).isFalse();
    }

    private Response post(String path, String body) {
        return resources.target(path).request().post(Entity.entity(body, MediaType.APPLICATION_JSON));
    }

    private static JsonNode json(Response response) throws IOException {
        return LockResourceTest.json(response);
    }
}
