package tracker.locks.domain.model;

/** The caller is known but may not do this: a scope it lacks, a service outside its patterns, another's lock. */
public final class AccessDeniedException extends LockServiceException {

    public AccessDeniedException(String message) {
        super(message);
    }
}
