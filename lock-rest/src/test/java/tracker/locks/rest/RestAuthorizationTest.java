package tracker.locks.rest;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.dropwizard.testing.junit5.DropwizardExtensionsSupport;
import io.dropwizard.testing.junit5.ResourceExtension;
import jakarta.ws.rs.client.Entity;
import jakarta.ws.rs.client.Invocation;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.io.IOException;
import java.time.Instant;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BiFunction;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import tracker.locks.domain.model.Principal;
import tracker.locks.domain.model.Scope;
import tracker.locks.domain.model.ServicePatterns;
import tracker.locks.domain.service.AccessControl;
import tracker.locks.domain.service.LockService;
import tracker.locks.domain.testing.LockServices;
import tracker.locks.domain.testing.MutableClock;

/**
 * Every REST endpoint × every kind of caller: no token and an unknown one are 401 with {@code WWW-Authenticate},
 * a token without the scope or outside its services is 403 naming what is missing, the right token succeeds.
 */
@ExtendWith(DropwizardExtensionsSupport.class)
class RestAuthorizationTest {

    private static final String DEPLOYER = "secret-deployer";
    private static final String READER = "secret-reader";
    private static final String WRITER = "secret-writer";
    private static final String ADMIN = "secret-admin";

    private final MutableClock clock = new MutableClock(Instant.parse("2024-01-15T10:00:00Z"));
    private final LockService service = LockServices.inMemory(clock);
    private final Map<String, Principal> issued = Map.of(
            DEPLOYER, new Principal("ci-deployer", EnumSet.of(Scope.READ, Scope.WRITE), patterns("deploy-*")),
            "secret-other", new Principal("ci-other", EnumSet.of(Scope.READ, Scope.WRITE), ServicePatterns.ALL),
            READER, new Principal("dashboard", EnumSet.of(Scope.READ), ServicePatterns.ALL),
            WRITER, new Principal("fire-and-forget", EnumSet.of(Scope.WRITE), ServicePatterns.ALL),
            ADMIN, new Principal("on-call", EnumSet.of(Scope.ADMIN), ServicePatterns.ALL));
    private final ResourceExtension resources = RestResources.behind(
            AccessControl.withTokens(service, secret -> Optional.ofNullable(issued.get(secret)), clock));

    /** An endpoint, called on a lock of the deployer's service ({@code inService}) or of another service. */
    private enum Endpoint {
        CREATE(Scope.WRITE, (test, inService) -> test.request("/api/v1alpha1/lock")
                .buildPost(Entity.entity("{\"service\":\"" + (inService ? "deploy-api" : "nightly-report")
                        + "\",\"who\":\"ci\"}", MediaType.APPLICATION_JSON)), 201),
        GET(Scope.READ, (test, inService) -> test.request("/api/v1alpha1/lock/" + test.lockOf(inService)).buildGet(),
                200),
        RENEW(Scope.WRITE, (test, inService) -> test.request("/api/v1alpha1/lock/" + test.lockOf(inService) + "/renew")
                .buildPost(Entity.entity("{\"ttl\":\"10m\"}", MediaType.APPLICATION_JSON)), 200),
        UNLOCK(Scope.WRITE, (test, inService) -> test.request("/api/v1alpha1/unlock/" + test.lockOf(inService))
                .buildGet(), 200),
        DELETE(Scope.WRITE, (test, inService) -> test.request("/api/v1alpha1/lock/" + test.lockOf(inService))
                .buildDelete(), 200),
        LIST(Scope.READ, (test, inService) -> test.request("/api/v1alpha1/locks/list").buildGet(), 200),
        QUEUE(Scope.READ, (test, inService) -> test.queueOf(inService ? "deploy-web" : "nightly-report").buildGet(),
                200);

        final Scope scope;
        final BiFunction<RestAuthorizationTest, Boolean, Invocation> call;
        final int success;

        Endpoint(Scope scope, BiFunction<RestAuthorizationTest, Boolean, Invocation> call, int success) {
            this.scope = scope;
            this.call = call;
            this.success = success;
        }
    }

    private String token;
    private String deployersLock;
    private String otherServicesLock;

    static Stream<Arguments> endpoints() {
        return Stream.of(Endpoint.values()).map(Arguments::of);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("endpoints")
    void withoutATokenIs401WithABearerChallenge(Endpoint endpoint) throws IOException {
        token = null;
        Response response = call(endpoint, true);

        assertThat(response.getStatus()).isEqualTo(401);
        assertThat(response.getHeaderString(HttpHeaders.WWW_AUTHENTICATE)).startsWith("Bearer");
        assertThat(error(response)).contains("a bearer token is required");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("endpoints")
    void anUnknownTokenIs401(Endpoint endpoint) throws IOException {
        token = "guessed";
        Response response = call(endpoint, true);

        assertThat(response.getStatus()).isEqualTo(401);
        assertThat(response.getHeaderString(HttpHeaders.WWW_AUTHENTICATE)).startsWith("Bearer");
        assertThat(error(response)).isEqualTo("unknown or revoked token").doesNotContain("guessed");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("endpoints")
    void aTokenWithoutTheScopeIs403NamingIt(Endpoint endpoint) throws IOException {
        token = endpoint.scope == Scope.READ ? WRITER : READER;
        Response response = call(endpoint, true);

        assertThat(response.getStatus()).isEqualTo(403);
        assertThat(error(response)).contains("lacks the " + endpoint.scope.name().toLowerCase() + " scope");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("endpoints")
    void aTokenOutsideItsServicesIs403NamingTheService(Endpoint endpoint) throws IOException {
        token = DEPLOYER;
        Response response = call(endpoint, false);

        if (endpoint == Endpoint.LIST) {
            // A list is not refused: it shows only what the token may see, and counts only that.
            JsonNode page = RestResources.MAPPER.readTree(response.readEntity(String.class));
            assertThat(response.getStatus()).isEqualTo(200);
            assertThat(page.get("total").asInt()).isEqualTo(1);
            assertThat(page.get("locks").findValuesAsText("service")).containsExactly("deploy-web");
            return;
        }
        assertThat(response.getStatus()).isEqualTo(403);
        assertThat(error(response)).contains("may not use service nightly").contains("deploy-*");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("endpoints")
    void theRightTokenSucceeds(Endpoint endpoint) {
        token = DEPLOYER;
        Response response = call(endpoint, true);

        assertThat(response.getStatus()).isEqualTo(endpoint.success);
    }

    @Test
    void aLockRecordsItsOwnerAndItIsInTheJson() throws IOException {
        token = DEPLOYER;
        Response created = call(Endpoint.CREATE, true);

        JsonNode lock = RestResources.MAPPER.readTree(created.readEntity(String.class));
        assertThat(lock.get("owner").asText()).isEqualTo("ci-deployer");
        assertThat(lock.get("who").asText()).isEqualTo("ci");
    }

    @Test
    void releasingOrRenewingAnotherPrincipalsLockNeedsAdmin() throws IOException {
        token = "secret-other";
        for (Endpoint endpoint : List.of(Endpoint.RENEW, Endpoint.UNLOCK, Endpoint.DELETE)) {
            Response refused = call(endpoint, true);
            assertThat(refused.getStatus()).as(endpoint.name()).isEqualTo(403);
            assertThat(error(refused)).contains("owned by ci-deployer").contains("admin scope");
        }
        assertThat(service.get(deployersLock).id().toString()).isEqualTo(deployersLock);

        token = ADMIN;
        assertThat(call(Endpoint.RENEW, true).getStatus()).isEqualTo(200);
        assertThat(call(Endpoint.UNLOCK, true).getStatus()).isEqualTo(200);
    }

    @Test
    void whoamiNamesTheTokensNameScopesAndServicesNeverTheTokenAndNeedsAValidOne() throws IOException {
        token = DEPLOYER;
        String answer = request("/api/v1alpha1/whoami").get().readEntity(String.class);

        JsonNode me = RestResources.MAPPER.readTree(answer);
        assertThat(me.get("authentication").asBoolean()).isTrue();
        assertThat(me.get("name").asText()).isEqualTo("ci-deployer");
        assertThat(RestResources.MAPPER.convertValue(me.get("scopes"), List.class)).containsExactly("read", "write");
        assertThat(RestResources.MAPPER.convertValue(me.get("services"), List.class)).containsExactly("deploy-*");
        assertThat(answer).doesNotContain(DEPLOYER);
        token = WRITER;
        assertThat(request("/api/v1alpha1/whoami").get().getStatus()).as("no scope needed").isEqualTo(200);
        token = "guessed";
        assertThat(request("/api/v1alpha1/whoami").get().getStatus()).isEqualTo(401);
    }

    /** Calls the endpoint with {@link #token}; the first call takes the two locks the endpoints work on. */
    private Response call(Endpoint endpoint, boolean inService) {
        if (deployersLock == null) {
            String caller = token;
            token = DEPLOYER;
            deployersLock = create("deploy-web");
            token = ADMIN;
            otherServicesLock = create("nightly");
            token = caller;
        }
        return endpoint.call.apply(this, inService).invoke();
    }

    private String create(String lockService) {
        Response response = request("/api/v1alpha1/lock").post(
                Entity.entity("{\"service\":\"" + lockService + "\",\"who\":\"ci\"}", MediaType.APPLICATION_JSON));
        try {
            assertThat(response.getStatus()).isEqualTo(201);
            return RestResources.MAPPER.readTree(response.readEntity(String.class)).get("id").asText();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private String lockOf(boolean inService) {
        return inService ? deployersLock : otherServicesLock;
    }

    private Invocation.Builder queueOf(String service) {
        Invocation.Builder request = resources.target("/api/v1alpha1/locks/queue").queryParam("service", service)
                .request();
        return token == null ? request : request.header(HttpHeaders.AUTHORIZATION, "Bearer " + token);
    }

    private Invocation.Builder request(String path) {
        Invocation.Builder request = resources.target(path).request();
        return token == null ? request : request.header(HttpHeaders.AUTHORIZATION, "Bearer " + token);
    }

    private static String error(Response response) throws IOException {
        return RestResources.MAPPER.readTree(response.readEntity(String.class)).get("error").asText();
    }

    private static ServicePatterns patterns(String... globs) {
        return new ServicePatterns(List.of(globs));
    }
}
