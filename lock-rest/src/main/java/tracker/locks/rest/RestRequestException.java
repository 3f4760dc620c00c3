package tracker.locks.rest;

import jakarta.ws.rs.core.Response;

/**
 * A request refused before it reaches the use cases (unreadable body, bad query parameter), with the status to answer
 * and a message naming what is wrong.
 */
public final class RestRequestException extends RuntimeException {

    private final Response.Status status;
    private final String field;

    RestRequestException(Response.Status status, String field, String message) {
        super(message);
        this.status = status;
        this.field = field;
    }

    static RestRequestException badRequest(String message) {
        return new RestRequestException(Response.Status.BAD_REQUEST, null, message);
    }

    static RestRequestException badField(String field, String message) {
        return new RestRequestException(Response.Status.BAD_REQUEST, field, message);
    }

    public Response.Status status() {
        return status;
    }

    /** The field or parameter at fault, or null when the problem is the body as a whole. */
    public String field() {
        return field;
    }
}
