package tracker.locks.domain.model;

/** The lock store cannot be reached or answered too late; the request may be retried once it is back. */
public final class LockStoreUnavailableException extends LockServiceException {

    public LockStoreUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
