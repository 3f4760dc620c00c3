package tracker.locks.domain;

/** Port in: take a lock. */
public interface AcquireLockUseCase {

    /**
     * Takes the lock on the command's key.
     *
     * @return the new lock
     * @throws LockHeldException when the key is already locked, naming the holder
     */
    Lock acquire(AcquireLockCommand command);
}
