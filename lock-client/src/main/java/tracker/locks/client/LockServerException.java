package tracker.locks.client;

/**
 * The server could not be reached, or failed (5xx, an answer that is not the API's): the request may or may not have
 * taken effect, and trying again later may work. Not a conflict.
 */
public final class LockServerException extends LockClientException {

    LockServerException(String message, Throwable cause) {
        super(message, cause);
    }
}
