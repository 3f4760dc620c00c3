package tracker.locks.domain.model;

/**
 * What a token allows. Independent of each other, except that {@link #ADMIN} allows everything: a pipeline that takes
 * and looks at its own locks holds {@code read} and {@code write}.
 */
public enum Scope {

    /** Look at locks: get one, list them. */
    READ,
    /** Take locks, and renew and release the locks one took oneself. */
    WRITE,
    /** Everything, for anyone's locks: the force-release of a crashed pipeline's lock. */
    ADMIN
}
