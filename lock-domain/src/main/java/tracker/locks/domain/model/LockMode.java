package tracker.locks.domain.model;

import java.util.Locale;

/**
 * How a holder shares its key: {@link #EXCLUSIVE} holders (up to the key's limit, one by default) exclude every
 * shared one; {@link #SHARED} holders (readers) hold together with any number of other shared holders.
 */
public enum LockMode {
    EXCLUSIVE, SHARED;

    /** The mode as clients write it: {@code exclusive} or {@code shared}; null or blank: exclusive (the default). */
    public static LockMode parse(String value) {
        if (value == null || value.isBlank()) {
            return EXCLUSIVE;
        }
        for (LockMode mode : values()) {
            if (mode.wireName().equals(value)) {
                return mode;
            }
        }
        throw new InvalidLockRequestException("mode", "mode must be exclusive or shared, got '"
                + LockFieldsEcho.shortened(value) + "'");
    }

    /** The mode's name in JSON and on the command line. */
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
