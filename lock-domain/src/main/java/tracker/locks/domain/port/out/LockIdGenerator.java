package tracker.locks.domain.port.out;

import java.util.UUID;
import tracker.locks.domain.model.LockId;

/** Port out: where new lock ids come from. */
@FunctionalInterface
public interface LockIdGenerator {

    LockId next();

    /** Random version-4 UUIDs: unguessable, so an id is also proof of having taken the lock. */
    static LockIdGenerator random() {
        return () -> new LockId(UUID.randomUUID());
    }
}
