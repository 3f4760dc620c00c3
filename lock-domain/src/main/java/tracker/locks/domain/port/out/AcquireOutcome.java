package tracker.locks.domain.port.out;

import java.util.List;
import tracker.locks.domain.model.Lock;
import tracker.locks.domain.model.LockHeldException;

/** What happened to one atomic acquisition attempt in the store. */
public sealed interface AcquireOutcome {

    /**
     * The key had room (never taken, released, its lease ran out, or fewer holders than its rule allows): this lock
     * holds it now.
     *
     * @param replacedLapsed whether it took the place of a lock whose lease had run out unnoticed (an expiry this
     *                       acquisition recorded)
     */
    record Acquired(Lock lock, boolean replacedLapsed) implements AcquireOutcome {

        public Acquired(Lock lock) {
            this(lock, false);
        }
    }

    /** The key is held and this candidate may not join its holders ({@code holders}: at least one), for {@code why}. */
    record KeyHeld(List<Lock> holders, LockHeldException.Reason why) implements AcquireOutcome {

        public KeyHeld {
            holders = List.copyOf(holders);
            if (holders.isEmpty()) {
                throw new IllegalArgumentException("a held key has a holder");
            }
        }

        public KeyHeld(Lock holder) {
            this(List.of(holder), LockHeldException.Reason.HELD);
        }

        /** The first holder given (the single holder of a plain lock). */
        public Lock holder() {
            return holders.get(0);
        }
    }

    /**
     * The key was held when the attempt ran, but its holder ended before it could be read: the key may be free now,
     * so the caller should try again.
     */
    record HolderVanished() implements AcquireOutcome {
    }
}
