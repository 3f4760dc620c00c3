package tracker.locks.domain.model;

/** Base of the failures the lock use cases report; each transport maps them in one place. */
public abstract class LockServiceException extends RuntimeException {

    protected LockServiceException(String message) {
        super(message);
    }

    protected LockServiceException(String message, Throwable cause) {
        super(message, cause);
    }
}
