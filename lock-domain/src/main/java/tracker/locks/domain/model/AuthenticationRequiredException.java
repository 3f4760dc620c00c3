package tracker.locks.domain.model;

/** Authentication is on and the caller presented no token, or one nobody issued (or one since revoked). */
public final class AuthenticationRequiredException extends LockServiceException {

    public AuthenticationRequiredException(String message) {
        super(message);
    }
}
