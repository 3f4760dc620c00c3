package tracker.locks.domain.model;

/** The rules every text field of a lock request obeys, whichever transport it came through. */
public final class LockFields {

    public static final int MAX_LENGTH = 255;

    private LockFields() {
    }

    /** A field that must be present: not null, not blank. */
    public static String required(String field, String value) {
        if (value == null) {
            throw new InvalidLockRequestException(field, field + " is required");
        }
        if (value.isBlank()) {
            throw new InvalidLockRequestException(field, field + " must not be blank");
        }
        return checked(field, value);
    }

    /** A field that may be absent; absent and blank both mean "not set" and come back as {@code ""}. */
    public static String optional(String field, String value) {
        if (value == null || value.isBlank()) {
            return "";
        }
        return checked(field, value);
    }

    private static String checked(String field, String value) {
        if (value.length() > MAX_LENGTH) {
            throw new InvalidLockRequestException(field,
                    field + " must be at most " + MAX_LENGTH + " characters, got " + value.length());
        }
        // Control characters break log lines, terminals and the shell scripts that print these values.
        if (value.chars().anyMatch(Character::isISOControl)) {
            throw new InvalidLockRequestException(field, field + " must not contain control characters");
        }
        return value;
    }
}
