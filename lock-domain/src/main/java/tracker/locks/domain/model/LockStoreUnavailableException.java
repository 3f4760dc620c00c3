package tracker.locks.domain.model;

/**
 * The lock store cannot be reached or answered too late. Either nothing happened, and the request may simply be
 * retried once the store is back; or the store went away while a change of the request was already on its way
 * ({@link #outcomeUnknown()}): it may have taken effect, and a client should look before it asks again.
 */
public final class LockStoreUnavailableException extends LockServiceException {

    private final boolean outcomeUnknown;

    /** Nothing was changed: the store was not reached, or refused or cancelled the change. */
    public LockStoreUnavailableException(String message, Throwable cause) {
        this(message, cause, false);
    }

    private LockStoreUnavailableException(String message, Throwable cause, boolean outcomeUnknown) {
        super(message, cause);
        this.outcomeUnknown = outcomeUnknown;
    }

    /**
     * The connection to the store broke, or fell silent, while a change was under way: the store may have committed
     * it (a commit that reached the database goes through whether or not its answer comes back).
     */
    public static LockStoreUnavailableException outcomeUnknown(String message, Throwable cause) {
        return new LockStoreUnavailableException(message, cause, true);
    }

    public boolean outcomeUnknown() {
        return outcomeUnknown;
    }
}
