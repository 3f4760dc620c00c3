package tracker.locks.domain.model;

import java.util.List;
import java.util.Map;

/**
 * A page of held locks, oldest first, with the number of locks held in all.
 *
 * @param waiters how many clients wait for each key of the page, on the instance that answered (keys nobody waits
 *                for are absent)
 */
public record LockPage(List<Lock> locks, long total, PageRequest request, Map<LockKey, Integer> waiters) {

    public LockPage {
        locks = List.copyOf(locks);
        waiters = Map.copyOf(waiters);
    }

    /** A page as the store has it: nobody's waiting is known there. */
    public LockPage(List<Lock> locks, long total, PageRequest request) {
        this(locks, total, request, Map.of());
    }

    /** This page with who waits for its keys. */
    public LockPage withWaiters(Map<LockKey, Integer> waiting) {
        return new LockPage(locks, total, request, waiting);
    }

    /** How many clients wait for {@code lock}'s key. */
    public int waitersFor(Lock lock) {
        return waiters.getOrDefault(lock.key(), 0);
    }
}
