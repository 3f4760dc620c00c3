package tracker.locks.domain;

/** Port in: take a lock. */
public interface AcquireLockUseCase {

    /**
     * Takes the lock on the command's key, waiting for it as long as the command allows.
     *
     * @param caller whether the client is still there; a client that gives up stops waiting and holds nothing
     * @return the new lock
     * @throws LockHeldException when the key is still held when the wait ends, naming the holder
     */
    Lock acquire(AcquireLockCommand command, Caller caller);

    /** {@link #acquire(AcquireLockCommand, Caller)} for a caller the transport cannot observe. */
    default Lock acquire(AcquireLockCommand command) {
        return acquire(command, Caller.UNOBSERVED);
    }
}
