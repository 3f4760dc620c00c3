package tracker.locks.domain;

/**
 * Port in: news that a key was released somewhere (on another instance, say), so that clients waiting for it here
 * try again at once instead of at their next poll.
 */
@FunctionalInterface
public interface LockReleasedListener {

    void released(LockKey key);
}
