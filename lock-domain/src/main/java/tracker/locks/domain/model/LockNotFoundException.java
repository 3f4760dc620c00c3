package tracker.locks.domain.model;

/** No lock is held under the given id: never taken, already released, or not an id at all. */
public final class LockNotFoundException extends LockServiceException {

    private final String id;

    public LockNotFoundException(String id) {
        super("lock not found");
        this.id = id;
    }

    /** The id exactly as the caller sent it. */
    public String id() {
        return id;
    }
}
