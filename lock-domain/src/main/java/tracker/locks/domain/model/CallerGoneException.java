package tracker.locks.domain.model;

/**
 * The client gave up while waiting; nothing was left held for it. No one reads the answer, but the transport still
 * ends the call cleanly.
 */
public final class CallerGoneException extends LockServiceException {

    public CallerGoneException() {
        super("the client gave up waiting");
    }
}
