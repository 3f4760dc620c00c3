package tracker.locks.rest;

import com.fasterxml.jackson.databind.ObjectMapper;
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
import jakarta.ws.rs.core.UriBuilder;
import java.io.InputStream;
import tracker.locks.domain.model.HistoryFilter;
import tracker.locks.domain.model.Lock;
import tracker.locks.domain.port.in.BearerToken;
import tracker.locks.domain.port.in.Caller;
import tracker.locks.domain.port.in.LockGate;
import tracker.locks.domain.port.in.LockUseCases;

/** The guide's REST API under {@code /api/v1alpha1}. Failures are thrown and answered by {@link RestErrorMapper}. */
@Path("/api/v1alpha1")
@Produces(MediaType.APPLICATION_JSON)
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

    /** Takes a lock. Any content type is read as JSON: scripts that forget the header still get their lock. */
    @POST
    @Path("/lock")
    @Consumes(MediaType.WILDCARD)
    public Response create(InputStream body, @Context ContainerRequestContext request) {
        Caller caller = request.getProperty(CALLER_PROPERTY) instanceof Caller watched ? watched : Caller.UNOBSERVED;
        Lock lock = locks(request).acquire(createLockBody.read(body), caller);
        return Response.created(UriBuilder.fromPath("/api/v1alpha1/lock/{id}").build(lock.id().toString()))
                .entity(LockJson.of(lock))
                .build();
    }

    @GET
    @Path("/lock/{id}")
    public LockJson get(@PathParam("id") String id, @Context ContainerRequestContext request) {
        return LockJson.of(locks(request).get(id));
    }

    /** The guide's release: a GET, so that a bare {@code curl URL} in a trap or a post step releases. */
    @GET
    @Path("/unlock/{id}")
    @ReleaseEndpoint
    public ReleasedJson unlock(@PathParam("id") String id, @Context ContainerRequestContext request) {
        locks(request).release(id);
        return ReleasedJson.RELEASED;
    }

    /** Extends a held lock's lease; body {@code {"ttl": "30s"}} (empty: the server's default lease). */
    @POST
    @Path("/lock/{id}/renew")
    @Consumes(MediaType.WILDCARD)
    public LockJson renew(@PathParam("id") String id, InputStream body, @Context ContainerRequestContext request) {
        return LockJson.of(locks(request).renew(id, createLockBody.renewalTtl(body)));
    }

    /** The same release with the REST verb. */
    @DELETE
    @Path("/lock/{id}")
    @ReleaseEndpoint
    public ReleasedJson delete(@PathParam("id") String id, @Context ContainerRequestContext request) {
        return unlock(id, request);
    }

    @GET
    @Path("/locks/list")
    public LockListJson list(@QueryParam("per_page") String perPage, @QueryParam("page") String page,
                             @Context ContainerRequestContext request) {
        return LockListJson.of(locks(request).list(PageParameters.of(perPage, page)));
    }

    /**
     * The history of a service's keys, newest first: every environment and resource unless narrowed. Paged like the
     * list.
     */
    @GET
    @Path("/locks/history")
    public LockHistoryJson history(@QueryParam("service") String service,
                                   @QueryParam("environment") String environment,
                                   @QueryParam("resource") String resource,
                                   @QueryParam("per_page") String perPage, @QueryParam("page") String page,
                                   @Context ContainerRequestContext request) {
        HistoryFilter filter = HistoryFilter.of(service, environment, resource);
        return LockHistoryJson.of(locks(request).history(filter, PageParameters.of(perPage, page)));
    }

    /** One lock's life, oldest first: it is there after the lock ended, for as long as the history keeps it. */
    @GET
    @Path("/lock/{id}/history")
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
