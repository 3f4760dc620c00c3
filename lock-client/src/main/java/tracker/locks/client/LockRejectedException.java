package tracker.locks.client;

/**
 * The server refused the request as given (400 bad input, 401 no or unknown token, 403 not allowed, 404 no such
 * lock): trying again unchanged will not help. {@link #status()} is the HTTP status, the message the server's error.
 */
public final class LockRejectedException extends LockClientException {

    private final int status;

    LockRejectedException(int status, String error) {
        super(error + " (HTTP " + status + ")");
        this.status = status;
    }

    public int status() {
        return status;
    }
}
