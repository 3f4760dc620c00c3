package tracker.locks.app.docs;

import io.swagger.v3.core.util.Json;
import io.swagger.v3.core.util.Yaml;
import io.swagger.v3.jaxrs2.Reader;
import io.swagger.v3.oas.integration.SwaggerConfiguration;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.info.Info;
import io.swagger.v3.oas.models.info.License;
import io.swagger.v3.oas.models.servers.Server;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.List;
import java.util.Set;
import tracker.locks.rest.LockResource;

/**
 * The OpenAPI 3 document of the REST API, at {@code /api/v1alpha1/openapi.json} and {@code .yaml}: read from the
 * JAX-RS resource and its annotations once at start-up — every path, parameter, body, status and example comes from
 * the code that serves them, so the document cannot drift from the API. Open to every client, also with
 * authentication on: it holds no data.
 */
@Path("/api/v1alpha1")
public final class OpenApiDocument {

    private final String json;
    private final String yaml;

    public OpenApiDocument(String version) {
        OpenAPI base = new OpenAPI()
                .info(new Info().title("Tracker Locks").version(version)
                        .description("Distributed locks for CI pipelines, cron jobs, migrations and services:"
                                + " at most one holder per key (service, environment, resource), leases, fencing"
                                + " tokens, waiting in line, and a history of what happened. The same service over"
                                + " gRPC: tracker.lock.v1alpha1.LockService.")
                        .license(new License().name("see the project's README")))
                .servers(List.of(new Server().url("/").description("this server")));
        // Only this class is read: no classpath scan (swagger's default would walk every jar).
        OpenAPI document = new Reader(new SwaggerConfiguration().openAPI(base).prettyPrint(true))
                .read(Set.of(LockResource.class));
        try {
            this.json = Json.pretty().writeValueAsString(document);
            this.yaml = Yaml.pretty().writeValueAsString(document);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("cannot write the OpenAPI document", e);
        }
    }

    @GET
    @Path("/openapi.json")
    @Produces(MediaType.APPLICATION_JSON)
    public String json() {
        return json;
    }

    @GET
    @Path("/openapi.yaml")
    @Produces("application/yaml")
    public String yaml() {
        return yaml;
    }
}
