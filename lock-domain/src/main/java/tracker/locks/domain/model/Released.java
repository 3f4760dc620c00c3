package tracker.locks.domain.model;

/**
 * A lock as it was when released, and how: by its holder, or forced by an admin who does not own it.
 */
public record Released(Lock lock, boolean forced) {
}
