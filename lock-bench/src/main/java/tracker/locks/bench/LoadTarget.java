package tracker.locks.bench;

/**
 * One way to take and release a lock: the server over gRPC or REST, or the server's lock store in this process.
 * Shared by all client threads of a run, so implementations are thread-safe. Anything other than success or the
 * expected conflict is thrown and counted as an error.
 */
interface LoadTarget extends AutoCloseable {

    /**
     * Tries to take the lock on (service, environment).
     *
     * @return the new lock's id, or {@code null} when the key is held (the expected conflict)
     */
    String acquire(String service, String environment, String who) throws Exception;

    /** Releases the lock with this id; throws when it was not released. */
    void release(String id) throws Exception;

    @Override
    default void close() {
    }
}
