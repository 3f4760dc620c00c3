package tracker.locks.app;

import java.util.Optional;

/** One client's view of one instance, over one transport; failures of the transport are answers, not exceptions. */
interface LockClient extends AutoCloseable {

    AcquireAnswer acquire(String service, String who);

    ReleaseAnswer release(String id);

    /** The id of the lock {@code who} holds, found through the list; empty when none or on failure. */
    Optional<String> findHeldBy(String who);

    String describe();

    /** Frees the connection; nothing to free by default. */
    @Override
    default void close() {
    }

    /** ACQUIRED with the id, HELD by someone else, or FAILED: no answer, so the outcome is unknown. */
    record AcquireAnswer(Outcome outcome, String id) {
        static final AcquireAnswer HELD = new AcquireAnswer(Outcome.HELD, null);
        static final AcquireAnswer FAILED = new AcquireAnswer(Outcome.FAILED, null);

        static AcquireAnswer acquired(String id) {
            return new AcquireAnswer(Outcome.ACQUIRED, id);
        }
    }

    enum Outcome { ACQUIRED, HELD, FAILED }

    enum ReleaseAnswer { RELEASED, NOT_FOUND, FAILED }
}
