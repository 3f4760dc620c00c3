package tracker.locks.domain.model;

import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;

/** Identifies one acquisition of a lock: a random UUID, always written in lower case. */
public record LockId(UUID value) {

    // UUID.fromString also accepts forms like "1-2-3-4-5"; ids are only ever the canonical 36 characters.
    private static final Pattern CANONICAL =
            Pattern.compile("[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");

    public LockId {
        Objects.requireNonNull(value, "value");
    }

    /** The id written in {@code text}, or empty when the text is not a canonical UUID (such an id names no lock). */
    public static Optional<LockId> parse(String text) {
        if (text == null || !CANONICAL.matcher(text).matches()) {
            return Optional.empty();
        }
        return Optional.of(new LockId(UUID.fromString(text)));
    }

    @Override
    public String toString() {
        return value.toString();
    }
}
