package tracker.locks.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.dropwizard.testing.DropwizardTestSupport;
import io.swagger.parser.OpenAPIParser;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.PathItem;
import io.swagger.v3.parser.core.models.SwaggerParseResult;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import java.lang.reflect.Method;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import tracker.locks.rest.LockResource;

/**
 * The OpenAPI document and Swagger UI the real server serves: a valid OpenAPI 3 document (swagger-parser) with
 * every endpoint of the resource and every status the running server answered, and the UI from the jar.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ApiDocumentEndToEndTest {

    private static final String API = "/api/v1alpha1";
    private static final Pattern SERIES = Pattern.compile(
            "tracker_http_request_duration_seconds_count\\{endpoint=\"([^\"]+)\",method=\"([A-Z]+)\",status=\"(\\d+)\"}");

    private DropwizardTestSupport<TrackerConfiguration> server;
    private Http http;
    private OpenAPI document;

    @BeforeAll
    void startServer(@TempDir Path dataDirectory) throws Exception {
        server = TrackerServers.on(TrackerServers.h2File(dataDirectory));
        server.before();
        http = new Http(server.getLocalPort());
        SwaggerParseResult parsed = new OpenAPIParser().readContents(http.text(API + "/openapi.json"), null, null);
        assertThat(parsed.getMessages()).as("the validator's complaints").isEmpty();
        document = parsed.getOpenAPI();
    }

    @AfterAll
    void stopServer() {
        server.after();
    }

    @Test
    void theDocumentIsOpenApi3AndListsEveryEndpointOfTheResource() {
        assertThat(document.getOpenapi()).startsWith("3.");
        assertThat(document.getInfo().getTitle()).isEqualTo("Tracker Locks");
        Set<String> served = new TreeSet<>();
        for (Method method : LockResource.class.getDeclaredMethods()) {
            jakarta.ws.rs.Path path = method.getAnnotation(jakarta.ws.rs.Path.class);
            String verb = method.isAnnotationPresent(GET.class) ? "GET" : method.isAnnotationPresent(POST.class)
                    ? "POST" : method.isAnnotationPresent(DELETE.class) ? "DELETE" : null;
            if (path != null && verb != null) {
                served.add(verb + " " + API + path.value());
            }
        }
        assertThat(documented()).containsExactlyInAnyOrderElementsOf(served);
        assertThat(served).hasSize(10);
        Operation create = document.getPaths().get(API + "/lock").getPost();
        assertThat(create.getResponses()).containsKeys("201", "400", "401", "403", "409", "413", "429", "503");
        assertThat(create.getRequestBody().getContent().get("application/json").getSchema().get$ref())
                .endsWith("LockRequest");
        assertThat(document.getComponents().getSecuritySchemes()).containsKey("bearer");
        assertThat(document.getPaths().get(API + "/locks/list").getGet().getParameters())
                .filteredOn(parameter -> parameter.getName().equals("per_page")).singleElement()
                .satisfies(perPage -> assertThat(perPage.getSchema().getType()).isEqualTo("integer"));
        // Every query parameter of the history is documented.
        assertThat(document.getPaths().get(API + "/locks/history").getGet().getParameters())
                .extracting(io.swagger.v3.oas.models.parameters.Parameter::getName)
                .containsExactlyInAnyOrder("service", "environment", "resource", "per_page", "page");
    }

    @Test
    void everyStatusTheServerAnsweredIsDocumentedForItsEndpoint() {
        // Every endpoint, with what makes it answer each of its statuses.
        String id = http.post(API + "/lock", "{\"service\":\"docs\",\"who\":\"ci\",\"ttl\":\"1m\"}").text("id");
        http.post(API + "/lock", "{\"service\":\"docs\",\"who\":\"ci\"}");
        http.post(API + "/lock", "{\"who\":\"ci\"}");
        http.post(API + "/lock", "{\"service\":\"" + "x".repeat(70_000) + "\",\"who\":\"ci\"}");
        http.get(API + "/lock/" + id);
        http.post(API + "/lock/" + id + "/renew", "{\"ttl\":\"2m\"}");
        http.post(API + "/lock/" + id + "/renew", "{\"ttl\":\"soon\"}");
        http.get(API + "/locks/list");
        http.get(API + "/locks/list?per_page=0");
        http.get(API + "/locks/history?service=docs");
        http.get(API + "/locks/history");
        http.get(API + "/locks/history?per_page=0");
        http.get(API + "/whoami");
        http.get(API + "/lock/" + id + "/history");
        http.get(API + "/lock/unknown/history");
        http.delete(API + "/lock/" + id);
        http.delete(API + "/lock/" + id);
        http.get(API + "/unlock/" + id);
        http.get(API + "/lock/" + id);
        http.post(API + "/lock/" + id + "/renew", "{\"ttl\":\"2m\"}");
        String other = http.post(API + "/lock", "{\"service\":\"docs-2\",\"who\":\"ci\"}").text("id");
        http.get(API + "/unlock/" + other);

        Set<String> answered = new TreeSet<>();
        Matcher series = SERIES.matcher(new Http(server.getAdminPort()).text("/metrics"));
        while (series.find()) {
            if (series.group(1).startsWith(API) && !series.group(1).contains("openapi")) {
                answered.add(series.group(2) + " " + series.group(1) + " " + series.group(3));
            }
        }
        Set<String> documented = new HashSet<>();
        document.getPaths().forEach((path, item) -> operations(item).forEach((verb, operation) ->
                operation.getResponses().keySet().forEach(status -> documented.add(verb + " " + path + " " + status))));

        assertThat(answered).as("every endpoint, each of its statuses reached").hasSize(20);
        assertThat(documented).containsAll(answered);
    }

    @Test
    void theYamlFormIsTheSameDocument() {
        OpenAPI yaml = new OpenAPIParser().readContents(http.text(API + "/openapi.yaml"), null, null).getOpenAPI();
        assertThat(yaml.getPaths().keySet()).isEqualTo(document.getPaths().keySet());
    }

    @Test
    void swaggerUiIsServedFromTheJarOnThisServersDocument() throws Exception {
        HttpClient client = HttpClient.newHttpClient();
        String base = "http://127.0.0.1:" + server.getLocalPort();
        HttpResponse<String> bare = client.send(HttpRequest.newBuilder(URI.create(base + "/docs")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(bare.statusCode()).isEqualTo(302);
        assertThat(bare.headers().firstValue("Location").orElseThrow()).endsWith("/docs/");

        String page = http.text("/docs/");
        assertThat(page).contains("swagger-ui").contains("./swagger-ui-bundle.js").doesNotContain("http");
        assertThat(http.text("/docs/swagger-ui-bundle.js")).hasSizeGreaterThan(100_000);
        assertThat(http.text("/docs/swagger-ui.css")).isNotEmpty();
        String initializer = http.text("/docs/swagger-initializer.js");
        assertThat(initializer).contains("\"/api/v1alpha1/openapi.json\"").doesNotContain("petstore")
                .as("no badge from the public validator").contains("validatorUrl: null");
        for (String nowhere : new String[] {"/docs/nothing.js", "/docs/a/b.js", "/docs/swagger-ui"}) {
            assertThat(client.send(HttpRequest.newBuilder(URI.create(base + nowhere)).build(),
                    HttpResponse.BodyHandlers.ofString()).statusCode()).as(nowhere).isEqualTo(404);
        }
        // Jetty refuses an encoded slash itself (400) before the servlet sees it: no way out of the webjar either.
        assertThat(client.send(HttpRequest.newBuilder(URI.create(base + "/docs/..%2F..%2Fconfig.yml")).build(),
                HttpResponse.BodyHandlers.ofString()).statusCode()).isIn(400, 404);
    }

    private Set<String> documented() {
        Set<String> operations = new TreeSet<>();
        document.getPaths().forEach((path, item) -> operations(item).keySet()
                .forEach(verb -> operations.add(verb + " " + path)));
        return operations;
    }

    private static Map<String, Operation> operations(PathItem item) {
        Map<String, Operation> operations = new java.util.LinkedHashMap<>();
        Arrays.asList(PathItem.HttpMethod.values()).forEach(verb -> {
            Operation operation = item.readOperationsMap().get(verb);
            if (operation != null) {
                operations.put(verb.name(), operation);
            }
        });
        return operations;
    }
}
