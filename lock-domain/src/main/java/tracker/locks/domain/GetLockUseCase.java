package tracker.locks.domain;

/** Port in: look a held lock up by id. */
public interface GetLockUseCase {

    /**
     * @param id the id as the caller wrote it; text that is not a lock id simply names no lock
     * @throws LockNotFoundException when no lock is held under that id
     */
    Lock get(String id);
}
