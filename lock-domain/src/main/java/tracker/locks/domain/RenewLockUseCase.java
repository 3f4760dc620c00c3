package tracker.locks.domain;

import java.time.Duration;

/** Port in: extend a held lock's lease. */
public interface RenewLockUseCase {

    /**
     * Sets the lease of the lock held under {@code id} to end {@code ttl} from now (a lock without a lease gains one).
     *
     * @param ttl the new lease; null takes the server's default lease, and is refused when there is none
     * @throws LockNotFoundException when no lock is held under that id: never taken, released, or already expired
     */
    Lock renew(String id, Duration ttl);
}
