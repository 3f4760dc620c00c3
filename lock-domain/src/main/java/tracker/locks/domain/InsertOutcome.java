package tracker.locks.domain;

/** What happened to an insert guarded by the key's unique constraint. */
public sealed interface InsertOutcome {

    /** The candidate is now the lock. */
    record Inserted(Lock lock) implements InsertOutcome {
    }

    /** The key was locked; {@code holder} is the lock that holds it. */
    record KeyHeld(Lock holder) implements InsertOutcome {
    }

    /**
     * The key was locked when the insert ran, but its holder was released before it could be read: the key may be
     * free now, so the caller should try again.
     */
    record HolderVanished() implements InsertOutcome {
    }
}
