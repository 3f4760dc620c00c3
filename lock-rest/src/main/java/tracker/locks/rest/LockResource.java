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
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriBuilder;
import java.io.InputStream;
import tracker.locks.domain.Lock;
import tracker.locks.domain.LockUseCases;

/** The guide's REST API under {@code /api/v1alpha1}. Failures are thrown and answered by {@link RestErrorMapper}. */
@Path("/api/v1alpha1")
@Produces(MediaType.APPLICATION_JSON)
public final class LockResource {

    private final LockUseCases locks;
    private final CreateLockBody createLockBody;

    public LockResource(LockUseCases locks, ObjectMapper mapper) {
        this.locks = locks;
        this.createLockBody = new CreateLockBody(mapper);
    }

    /**
     * Takes a lock. Any content type is read as JSON: scripts that forget the header still get their lock. A
     * waiting request holds its connection until it has the lock or its wait ends; the server cannot see a client
     * that disconnects meanwhile (HTTP/1.1 gives no sign until the answer is written), so a wait needs a lease — the
     * domain refuses one without — and a lock taken for a client that left ends by itself.
     */
    @POST
    @Path("/lock")
    @Consumes(MediaType.WILDCARD)
    public Response create(InputStream body) {
        Lock lock = locks.acquire(createLockBody.read(body));
        return Response.created(UriBuilder.fromPath("/api/v1alpha1/lock/{id}").build(lock.id().toString()))
                .entity(LockJson.of(lock))
                .build();
    }

    @GET
    @Path("/lock/{id}")
    public LockJson get(@PathParam("id") String id) {
        return LockJson.of(locks.get(id));
    }

    /** The guide's release: a GET, so that a bare {@code curl URL} in a trap or a post step releases. */
    @GET
    @Path("/unlock/{id}")
    @ReleaseEndpoint
    public ReleasedJson unlock(@PathParam("id") String id) {
        locks.release(id);
        return ReleasedJson.RELEASED;
    }

    /** Extends a held lock's lease; body {@code {"ttl": "30s"}} (empty: the server's default lease). */
    @POST
    @Path("/lock/{id}/renew")
    @Consumes(MediaType.WILDCARD)
    public LockJson renew(@PathParam("id") String id, InputStream body) {
        return LockJson.of(locks.renew(id, createLockBody.renewalTtl(body)));
    }

    /** The same release with the REST verb. */
    @DELETE
    @Path("/lock/{id}")
    @ReleaseEndpoint
    public ReleasedJson delete(@PathParam("id") String id) {
        return unlock(id);
    }

    @GET
    @Path("/locks/list")
    public LockListJson list(@QueryParam("per_page") String perPage, @QueryParam("page") String page) {
        return LockListJson.of(locks.list(PageParameters.of(perPage, page)));
    }
}
