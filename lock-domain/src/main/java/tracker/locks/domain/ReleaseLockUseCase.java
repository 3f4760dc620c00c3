package tracker.locks.domain;

/** Port in: release a held lock by id (its holder's release, or an operator's force-release). */
public interface ReleaseLockUseCase {

    /**
     * @param id the id as the caller wrote it
     * @throws LockNotFoundException when no lock is held under that id, including one already released
     */
    void release(String id);
}
