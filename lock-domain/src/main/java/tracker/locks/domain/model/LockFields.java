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
        if (hasControlCharacter(value)) {
            throw new InvalidLockRequestException(field, field + " must not contain control characters");
        }
        // A lone surrogate is not a character: stored, it could never be printed back as UTF-8 or read by jq.
        int unpaired = unpairedSurrogate(value);
        if (unpaired >= 0) {
            throw new InvalidLockRequestException(field,
                    field + " must be valid Unicode: an unpaired surrogate at character " + (unpaired + 1));
        }
        return value;
    }

    /** A loop, not {@code chars().anyMatch}: this runs on every request, and the stream allocated a pipeline each. */
    private static boolean hasControlCharacter(String value) {
        for (int i = 0; i < value.length(); i++) {
            if (Character.isISOControl(value.charAt(i))) {
                return true;
            }
        }
        return false;
    }

    /**
     * The index of the first surrogate that is not half of a pair, or -1: such a string cannot be written as UTF-8.
     * Shared with the transports, which must never answer one either.
     */
    public static int unpairedSurrogate(String value) {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < value.length() && Character.isLowSurrogate(value.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                return i;
            }
        }
        return -1;
    }
}
