package tracker.locks.persistence;

import java.util.Optional;
import java.util.UUID;
import tracker.locks.domain.Lock;

/** The writes whose SQL differs between databases; {@link LockDao} holds the rest. */
public interface DialectLockDao extends LockDao {

    /** @param micros the lease in microseconds, or null for none */
    Optional<Lock> acquire(UUID id, String service, String environment, String resource, String who, String eventId,
                           Long micros);

    Optional<Lock> release(UUID id);

    Optional<Lock> renew(UUID id, long micros);

    int deleteEndedBefore(long micros);
}
