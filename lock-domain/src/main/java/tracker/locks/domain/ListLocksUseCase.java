package tracker.locks.domain;

/** Port in: page through the held locks, oldest first. */
public interface ListLocksUseCase {

    LockPage list(PageRequest page);
}
