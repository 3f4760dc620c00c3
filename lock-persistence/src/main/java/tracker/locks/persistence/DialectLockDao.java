package tracker.locks.persistence;

import java.util.Optional;
import java.util.UUID;
import tracker.locks.domain.model.Lock;

/**
 * The writes whose SQL differs between databases, as SqlObject methods; the hot-path statements (acquire, release)
 * are constants beside them, run through the fluent API. {@link LockDao} holds the SQL that is the same everywhere.
 */
public interface DialectLockDao extends LockDao {

    Optional<Lock> renew(UUID id, long micros);

    int deleteEndedBefore(long micros);
}
