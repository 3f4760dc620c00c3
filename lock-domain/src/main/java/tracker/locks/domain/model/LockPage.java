package tracker.locks.domain.model;

import java.util.List;

/** A page of held locks, oldest first, with the number of locks held in all. */
public record LockPage(List<Lock> locks, long total, PageRequest request) {

    public LockPage {
        locks = List.copyOf(locks);
    }
}
