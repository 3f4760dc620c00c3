package tracker.locks.rest;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.enums.SecuritySchemeType;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.ExampleObject;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.security.SecurityRequirement;
import io.swagger.v3.oas.annotations.security.SecurityScheme;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.io.InputStream;
import java.net.URI;
import java.util.concurrent.CompletableFuture;
import tracker.locks.domain.model.HistoryFilter;
import tracker.locks.domain.model.QueueFilter;
import tracker.locks.domain.model.Lock;
import tracker.locks.domain.port.in.BearerToken;
import tracker.locks.domain.port.in.Caller;
import tracker.locks.domain.port.in.Completion;
import tracker.locks.domain.port.in.LockGate;
import tracker.locks.domain.port.in.LockUseCases;

/**
 * The guide's REST API under {@code /api/v1alpha1}. Failures are thrown and answered by {@link RestErrorMapper}.
 * The annotations describe each endpoint's answers for the OpenAPI document the server serves
 * ({@code /api/v1alpha1/openapi.json}); the answers every endpoint may give are on the class.
 */
@Path("/api/v1alpha1")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "locks")
@SecurityScheme(name = "bearer", type = SecuritySchemeType.HTTP, scheme = "bearer",
        description = "A token from the tokens file, when the server has authentication on (AUTH_TOKENS_FILE);"
                + " without it every call is open")
@SecurityRequirement(name = "bearer")
@ApiResponse(responseCode = "401", description = "authentication is on and the token is missing or unknown",
        content = @Content(schema = @Schema(implementation = ApiDocs.Error.class),
                examples = @ExampleObject("{\"error\":\"a bearer token is required (Authorization: Bearer <token>)\"}")))
@ApiResponse(responseCode = "403", description = "the token lacks the scope, or the service, or the lock is another's",
        content = @Content(schema = @Schema(implementation = ApiDocs.Error.class)))
@ApiResponse(responseCode = "429", description = "this client presented wrong tokens too often; Retry-After says when",
        content = @Content(schema = @Schema(implementation = ApiDocs.Error.class)))
@ApiResponse(responseCode = "503", description = "the database is unreachable; Retry-After: 1",
        content = @Content(schema = @Schema(implementation = ApiDocs.Error.class),
                examples = @ExampleObject(ApiDocs.UNAVAILABLE_EXAMPLE)))
public final class LockResource {

    private final LockGate gate;
    private final CreateLockBody createLockBody;

    /** @param gate who the client is, and what it may do: with authentication off, everything */
    public LockResource(LockGate gate, ObjectMapper mapper) {
        this.gate = gate;
        this.createLockBody = new CreateLockBody(mapper);
    }

    /**
     * Where the server may leave, per request, a {@link Caller} that watches the client's connection (a request
     * property: a servlet request attribute). A waiting request holds its connection until it has the lock or its
     * wait ends; with such a watcher a client that disconnects meanwhile stops waiting. Without one the client is
     * {@link Caller#UNOBSERVED}, and the domain then refuses a wait without a lease.
     */
    public static final String CALLER_PROPERTY = "tracker.locks.rest.caller";

    /**
     * Where the server leaves, per request, the client's address (a request property), so that a client that keeps
     * presenting wrong tokens can be slowed down. Without it the client is "unknown".
     */
    public static final String CLIENT_PROPERTY = "tracker.locks.rest.client";

    /** Where a new lock can be looked up (its Location); a lock's id is a UUID, which needs no escaping in a URI. */
    private static final String LOCK_PATH = "/api/v1alpha1/lock/";

    /** Takes a lock. Any content type is read as JSON: scripts that forget the header still get their lock. */
    @POST
    @Path("/lock")
    @Consumes(MediaType.WILDCARD)
    @Operation(summary = "Take the lock of a key", description = "With wait, waits up to that long for a held key"
            + " (in arrival order); with ttl, the lock ends by itself unless renewed.")
    @ApiResponse(responseCode = "201", description = "the lock; Location: /api/v1alpha1/lock/{id}",
            content = @Content(schema = @Schema(implementation = LockJson.class),
                    examples = @ExampleObject(ApiDocs.LOCK_EXAMPLE)))
    @ApiResponse(responseCode = "400", description = "a field is missing or invalid (field names it)",
            content = @Content(schema = @Schema(implementation = ApiDocs.Error.class),
                    examples = @ExampleObject(ApiDocs.ERROR_EXAMPLE)))
    @ApiResponse(responseCode = "409", description = "the key is held (after the wait); existingLock is the holder",
            content = @Content(schema = @Schema(implementation = ApiDocs.Error.class),
                    examples = @ExampleObject(ApiDocs.CONFLICT_EXAMPLE)))
    @ApiResponse(responseCode = "408", description = "the client went away while it waited (nothing is held for it)",
            content = @Content(schema = @Schema(implementation = ApiDocs.Error.class)))
    @ApiResponse(responseCode = "413", description = "the body is over 64 KiB",
            content = @Content(schema = @Schema(implementation = ApiDocs.Error.class)))
    public Object create(@io.swagger.v3.oas.annotations.parameters.RequestBody(required = true,
                                   content = @Content(mediaType = MediaType.APPLICATION_JSON,
                                           schema = @Schema(implementation = ApiDocs.LockRequest.class),
                                           examples = @ExampleObject(ApiDocs.CREATE_EXAMPLE)))
                           InputStream body, @Context ContainerRequestContext request) {
        Caller caller = request.getProperty(CALLER_PROPERTY) instanceof Caller watched ? watched : Caller.UNOBSERVED;
        CompletableFuture<Lock> answer = locks(request).acquireAsync(createLockBody.read(body), caller);
        if (answer.isDone()) {
            // Answered at once (no wait, or the key was free): no suspended request, and a failure is thrown here.
            return created(Completion.value(answer));
        }
        // A waiting client holds no thread: Jersey suspends the request and answers when this completes, a failure
        // through the same exception mappers (Completion passes the domain's exception on unwrapped).
        return Completion.map(answer, LockResource::created);
    }

    private static Response created(Lock lock) {
        return Response.created(URI.create(LOCK_PATH + lock.id()))
                .entity(LockJson.of(lock))
                .build();
    }

    @GET
    @Path("/lock/{id}")
    @Operation(summary = "Look a held lock up by id")
    @ApiResponse(responseCode = "200", description = "the lock", content = @Content(
            schema = @Schema(implementation = LockJson.class), examples = @ExampleObject(ApiDocs.LOCK_EXAMPLE)))
    @ApiResponse(responseCode = "404", description = "no lock is held under that id", content = @Content(
            schema = @Schema(implementation = ApiDocs.Error.class), examples = @ExampleObject(ApiDocs.NOT_FOUND_EXAMPLE)))
    public LockJson get(@PathParam("id") String id, @Context ContainerRequestContext request) {
        LockUseCases locks = locks(request);
        Lock lock = locks.get(id);
        return LockJson.of(lock, locks.queue(QueueFilter.exactly(lock.key())).size());
    }

    /** The guide's release: a GET, so that a bare {@code curl URL} in a trap or a post step releases. */
    @GET
    @Path("/unlock/{id}")
    @ReleaseEndpoint
    @Operation(summary = "Release a lock (the guide's verb)")
    @ApiResponse(responseCode = "200", description = "released", content = @Content(
            schema = @Schema(implementation = ReleasedJson.class), examples = @ExampleObject(ApiDocs.RELEASED_EXAMPLE)))
    @ApiResponse(responseCode = "404", description = "no lock is held under that id (success: false)",
            content = @Content(schema = @Schema(implementation = ApiDocs.Error.class)))
    public ReleasedJson unlock(@PathParam("id") String id, @Context ContainerRequestContext request) {
        locks(request).release(id);
        return ReleasedJson.RELEASED;
    }

    /** Extends a held lock's lease; body {@code {"ttl": "30s"}} (empty: the server's default lease). */
    @POST
    @Path("/lock/{id}/renew")
    @Consumes(MediaType.WILDCARD)
    @Operation(summary = "Set a held lock's lease to ttl from now")
    @ApiResponse(responseCode = "200", description = "the lock with its new expiresAt",
            content = @Content(schema = @Schema(implementation = LockJson.class)))
    @ApiResponse(responseCode = "400", description = "a bad ttl, or none and the server has no default lease",
            content = @Content(schema = @Schema(implementation = ApiDocs.Error.class)))
    @ApiResponse(responseCode = "404", description = "not held: released, expired or unknown",
            content = @Content(schema = @Schema(implementation = ApiDocs.Error.class)))
    @ApiResponse(responseCode = "413", description = "the body is over 64 KiB",
            content = @Content(schema = @Schema(implementation = ApiDocs.Error.class)))
    public LockJson renew(@PathParam("id") String id,
                          @io.swagger.v3.oas.annotations.parameters.RequestBody(content = @Content(
                                  mediaType = MediaType.APPLICATION_JSON,
                                  schema = @Schema(implementation = ApiDocs.RenewRequest.class)))
                          InputStream body, @Context ContainerRequestContext request) {
        return LockJson.of(locks(request).renew(id, createLockBody.renewalTtl(body)));
    }

    /** The same release with the REST verb. */
    @DELETE
    @Path("/lock/{id}")
    @ReleaseEndpoint
    @Operation(summary = "Release a lock")
    @ApiResponse(responseCode = "200", description = "released", content = @Content(
            schema = @Schema(implementation = ReleasedJson.class), examples = @ExampleObject(ApiDocs.RELEASED_EXAMPLE)))
    @ApiResponse(responseCode = "404", description = "no lock is held under that id (success: false)",
            content = @Content(schema = @Schema(implementation = ApiDocs.Error.class)))
    public ReleasedJson delete(@PathParam("id") String id, @Context ContainerRequestContext request) {
        return unlock(id, request);
    }

    @GET
    @Path("/locks/list")
    @Operation(summary = "Page through the held locks, oldest first")
    @ApiResponse(responseCode = "200", description = "a page of locks and the total",
            content = @Content(schema = @Schema(implementation = LockListJson.class)))
    @ApiResponse(responseCode = "400", description = "per_page or page out of range or not a whole number",
            content = @Content(schema = @Schema(implementation = ApiDocs.Error.class)))
    public LockListJson list(@Parameter(description = "1..1000, default 100",
                                     schema = @Schema(type = "integer", minimum = "1", maximum = "1000"))
                             @QueryParam("per_page") String perPage,
                             @Parameter(description = "1 or more, default 1",
                                     schema = @Schema(type = "integer", minimum = "1"))
                             @QueryParam("page") String page,
                             @Context ContainerRequestContext request) {
        return LockListJson.of(locks(request).list(PageParameters.of(perPage, page)));
    }

    /** The clients waiting for a service's keys, in the order each key's line will serve them. */
    @GET
    @Path("/locks/queue")
    @Operation(summary = "The clients waiting for a service's keys (optionally one environment and/or resource),"
            + " each key's line in the order it will be served")
    @ApiResponse(responseCode = "200", description = "the waiting clients",
            content = @Content(schema = @Schema(implementation = LockQueueJson.class)))
    @ApiResponse(responseCode = "400", description = "service missing, or a field too long",
            content = @Content(schema = @Schema(implementation = ApiDocs.Error.class)))
    public LockQueueJson queue(@Parameter(description = "required", required = true) @QueryParam("service")
                               String service,
                               @Parameter(description = "only this environment") @QueryParam("environment")
                               String environment,
                               @Parameter(description = "only this resource") @QueryParam("resource")
                               String resource,
                               @Context ContainerRequestContext request) {
        return LockQueueJson.of(locks(request).queue(QueueFilter.of(service, environment, resource)));
    }

    /** Who the caller is: what a client needs to offer only what the caller may do (the dashboard). */
    @GET
    @Path("/whoami")
    @Operation(summary = "Who the caller is: authentication on or off, the token's name, scopes and services")
    @ApiResponse(responseCode = "200", description = "the caller",
            content = @Content(schema = @Schema(implementation = WhoAmIJson.class)))
    public WhoAmIJson whoami(@Context ContainerRequestContext request) {
        return WhoAmIJson.of(locks(request).principal());
    }

    /**
     * The history of a service's keys, newest first: every environment and resource unless narrowed; without a
     * service, of every service the caller may read (recent activity). Paged like the list.
     */
    @GET
    @Path("/locks/history")
    @Operation(summary = "Page through the history of a service's keys (or of all services), newest first")
    @ApiResponse(responseCode = "200", description = "a page of events and the total",
            content = @Content(schema = @Schema(implementation = LockHistoryJson.class)))
    @ApiResponse(responseCode = "400", description = "a field too long, or a bad page",
            content = @Content(schema = @Schema(implementation = ApiDocs.Error.class)))
    public LockHistoryJson history(@Parameter(description = "only this service; without: every service the caller"
                                           + " may read") @QueryParam("service") String service,
                                   @Parameter(description = "only this environment") @QueryParam("environment")
                                   String environment,
                                   @Parameter(description = "only this resource") @QueryParam("resource")
                                   String resource,
                                   @Parameter(description = "1..1000, default 100",
                                           schema = @Schema(type = "integer", minimum = "1", maximum = "1000"))
                                   @QueryParam("per_page") String perPage,
                                   @Parameter(description = "1 or more, default 1",
                                           schema = @Schema(type = "integer", minimum = "1"))
                                   @QueryParam("page") String page,
                                   @Context ContainerRequestContext request) {
        HistoryFilter filter = HistoryFilter.of(service, environment, resource);
        return LockHistoryJson.of(locks(request).history(filter, PageParameters.of(perPage, page)));
    }

    /** One lock's life, oldest first: it is there after the lock ended, for as long as the history keeps it. */
    @GET
    @Path("/lock/{id}/history")
    @Operation(summary = "One lock's life, oldest first, also after it ended")
    @ApiResponse(responseCode = "200", description = "its events",
            content = @Content(schema = @Schema(implementation = LockHistoryJson.class)))
    @ApiResponse(responseCode = "404", description = "the history holds nothing of that id",
            content = @Content(schema = @Schema(implementation = ApiDocs.Error.class)))
    public LockHistoryJson lockHistory(@PathParam("id") String id, @Context ContainerRequestContext request) {
        return LockHistoryJson.of(locks(request).history(id));
    }

    /** The locks as this request's client may use them, by its {@code Authorization: Bearer} token. */
    private LockUseCases locks(ContainerRequestContext request) {
        Object client = request.getProperty(CLIENT_PROPERTY);
        return gate.enter(BearerToken.of(request.getHeaderString(HttpHeaders.AUTHORIZATION)),
                client instanceof String address ? address : "unknown");
    }
}
