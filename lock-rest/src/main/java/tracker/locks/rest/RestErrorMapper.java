package tracker.locks.rest;

import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.container.ResourceInfo;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;
import java.lang.reflect.Method;
import java.util.LinkedHashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tracker.locks.domain.model.AccessDeniedException;
import tracker.locks.domain.model.AuthenticationRequiredException;
import tracker.locks.domain.model.CallerGoneException;
import tracker.locks.domain.model.InvalidLockRequestException;
import tracker.locks.domain.model.LockFields;
import tracker.locks.domain.model.LockHeldException;
import tracker.locks.domain.model.LockNotFoundException;
import tracker.locks.domain.model.LockStoreUnavailableException;
import tracker.locks.domain.model.ServiceStoppingException;
import tracker.locks.domain.model.TooManyFailedAuthenticationsException;

/**
 * The one place where failures become HTTP answers. Every answer is JSON with an {@code error} field; nothing
 * internal (stack traces, SQL) ever reaches the client, and only unexpected failures are logged.
 */
@Provider
public final class RestErrorMapper implements ExceptionMapper<Throwable> {

    private static final Logger LOG = LoggerFactory.getLogger(RestErrorMapper.class);

    /** Seconds a client should wait before retrying while the database is away. */
    private static final String RETRY_AFTER_SECONDS = "1";
    /**
     * A change whose connection broke on its way: the database may have done it (a trial found locks answered 503
     * and held afterwards), so a client that asks again without looking could wait for itself, or release twice.
     */
    static final String UNAVAILABLE_OUTCOME_UNKNOWN = "lock store unavailable during the request, which may have"
            + " taken effect: look for your lock (your who in the list) before trying again";

    @Context
    private ResourceInfo resourceInfo;

    @Override
    public Response toResponse(Throwable failure) {
        if (failure instanceof LockHeldException held) {
            ErrorBody conflict = body(held.getMessage()).with("existingLock", LockJson.of(held.holder()));
            if (held.holders().size() > 1 || !held.holder().rule().isSingle()) {
                conflict.with("holders", held.holders().stream().map(LockJson::of).toList());
            }
            return json(Response.Status.CONFLICT, conflict);
        }
        if (failure instanceof LockNotFoundException notFound) {
            ErrorBody body = releasing() ? new ErrorBody().with("success", false) : new ErrorBody();
            return json(Response.Status.NOT_FOUND, body.with("error", "lock not found").with("id", notFound.id()));
        }
        if (failure instanceof InvalidLockRequestException invalid) {
            return json(Response.Status.BAD_REQUEST, body(invalid.getMessage()).with("field", invalid.field()));
        }
        if (failure instanceof RestRequestException refused) {
            ErrorBody body = body(refused.getMessage());
            return json(refused.status(), refused.field() == null ? body : body.with("field", refused.field()));
        }
        if (failure instanceof AuthenticationRequiredException unauthenticated) {
            return Response.status(Response.Status.UNAUTHORIZED)
                    .header(HttpHeaders.WWW_AUTHENTICATE, "Bearer realm=\"tracker-locks\"")
                    .type(MediaType.APPLICATION_JSON_TYPE)
                    .entity(body(unauthenticated.getMessage()).fields)
                    .build();
        }
        if (failure instanceof AccessDeniedException denied) {
            return json(Response.Status.FORBIDDEN, body(denied.getMessage()));
        }
        if (failure instanceof TooManyFailedAuthenticationsException tooMany) {
            return Response.status(Response.Status.TOO_MANY_REQUESTS)
                    .header(HttpHeaders.RETRY_AFTER, Math.max(1, tooMany.retryAfter().toSeconds()))
                    .type(MediaType.APPLICATION_JSON_TYPE)
                    .entity(body(tooMany.getMessage()).fields)
                    .build();
        }
        if (failure instanceof CallerGoneException) {
            return json(Response.Status.REQUEST_TIMEOUT, body("the client gave up waiting"));
        }
        if (failure instanceof ServiceStoppingException stopping) {
            // Retry-After: the client should go to another instance, or come back once this one has restarted.
            return Response.status(Response.Status.SERVICE_UNAVAILABLE)
                    .header("Retry-After", RETRY_AFTER_SECONDS)
                    .type(MediaType.APPLICATION_JSON_TYPE)
                    .entity(body(stopping.getMessage()).fields)
                    .build();
        }
        if (failure instanceof LockStoreUnavailableException unavailable) {
            LOG.warn("lock store unavailable: {}", unavailable.getMessage());
            ErrorBody body = unavailable.outcomeUnknown()
                    ? body(UNAVAILABLE_OUTCOME_UNKNOWN).with("outcome", "unknown")
                    : body("lock store unavailable, try again shortly");
            return Response.status(Response.Status.SERVICE_UNAVAILABLE)
                    .header("Retry-After", RETRY_AFTER_SECONDS)
                    .type(MediaType.APPLICATION_JSON_TYPE)
                    .entity(body.fields)
                    .build();
        }
        if (failure instanceof WebApplicationException web && web.getResponse().getStatus() < 500) {
            // Jersey's own refusals: unknown path, wrong method, unacceptable media type.
            Response.StatusType status = web.getResponse().getStatusInfo();
            return json(status, body(status.getReasonPhrase().toLowerCase()));
        }
        LOG.error("unexpected failure", failure);
        return json(Response.Status.INTERNAL_SERVER_ERROR, body("internal error"));
    }

    private boolean releasing() {
        Method method = resourceInfo == null ? null : resourceInfo.getResourceMethod();
        return method != null && method.isAnnotationPresent(ReleaseEndpoint.class);
    }

    private static ErrorBody body(String error) {
        return new ErrorBody().with("error", validUnicode(error));
    }

    /**
     * A message may quote what the client sent ({@code got "\ud800"}); an unpaired surrogate in it would make the
     * answer JSON that jq and other strict readers refuse, so it is shown as U+FFFD.
     */
    private static String validUnicode(String text) {
        String valid = text;
        for (int at = LockFields.unpairedSurrogate(valid); at >= 0; at = LockFields.unpairedSurrogate(valid)) {
            valid = valid.substring(0, at) + '\ufffd' + valid.substring(at + 1);
        }
        return valid;
    }

    private static Response json(Response.StatusType status, ErrorBody body) {
        return Response.status(status.getStatusCode()).type(MediaType.APPLICATION_JSON_TYPE).entity(body.fields).build();
    }

    /** An error body's fields in the order they are added, so {@code error} comes first. */
    private static final class ErrorBody {
        private final Map<String, Object> fields = new LinkedHashMap<>();

        ErrorBody with(String name, Object value) {
            fields.put(name, value);
            return this;
        }
    }
}
