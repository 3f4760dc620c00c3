package tracker.locks.domain.model;

/** A request field breaks a rule; the message names the field and says what is wrong. */
public final class InvalidLockRequestException extends LockServiceException {

    private final String field;

    public InvalidLockRequestException(String field, String message) {
        super(message);
        this.field = field;
    }

    public String field() {
        return field;
    }
}
