package tracker.locks.domain.model;

/**
 * The server is shutting down: a client waiting for a lock is answered at once instead of being cut off when the
 * server exits, so it can go to another instance; nothing was left held for it.
 */
public final class ServiceStoppingException extends LockServiceException {

    public ServiceStoppingException() {
        super("the server is shutting down: try again, on another instance");
    }
}
