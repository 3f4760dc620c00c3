package tracker.locks.domain.port.out;

import tracker.locks.domain.model.Lock;

/** What happened to one atomic acquisition attempt in the store. */
public sealed interface AcquireOutcome {

    /**
     * The key was free (never taken, released, or its lease ran out): it is now this lock.
     *
     * @param replacedLapsed whether it took the place of a lock whose lease had run out unnoticed (an expiry this
     *                       acquisition recorded)
     */
    record Acquired(Lock lock, boolean replacedLapsed) implements AcquireOutcome {

        public Acquired(Lock lock) {
            this(lock, false);
        }
    }

    /** The key is held; {@code holder} is the lock that holds it. */
    record KeyHeld(Lock holder) implements AcquireOutcome {
    }

    /**
     * The key was held when the attempt ran, but its holder ended before it could be read: the key may be free now,
     * so the caller should try again.
     */
    record HolderVanished() implements AcquireOutcome {
    }
}
