package tracker.locks.client;

/** Something the lock service did not do; the subclasses say why. */
public class LockClientException extends RuntimeException {

    LockClientException(String message) {
        super(message);
    }

    LockClientException(String message, Throwable cause) {
        super(message, cause);
    }
}
