package tracker.locks.persistence;

import java.util.List;
import org.jdbi.v3.sqlobject.config.RegisterRowMapper;
import org.jdbi.v3.sqlobject.customizer.Bind;
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import tracker.locks.domain.model.Lock;

/**
 * The SQL of the lock store that is the same on every database; each dialect adds its writes. Every statement is a
 * single one, so each is atomic on its own, and leases are judged by the database's clock.
 */
@RegisterRowMapper(LockRowMapper.class)
public interface LockDao {

    /** Held: not released, and no lease or a lease that has not passed by the database's clock. */
    String HELD = "released_at IS NULL AND (expires_at IS NULL OR expires_at > CURRENT_TIMESTAMP)";

    String KEY = "service = :service AND environment = :environment AND resource = :resource";

    /** Hot path: run through Jdbi's fluent API by {@link JdbiLockRepository}. */
    String FIND_HELD_BY_KEY = "SELECT " + LockRowMapper.COLUMNS + " FROM locks WHERE " + KEY + " AND " + HELD;

    /** Hot path: run through Jdbi's fluent API by {@link JdbiLockRepository}. */
    String FIND_HELD = "SELECT " + LockRowMapper.COLUMNS + " FROM locks WHERE id = :id AND " + HELD;

    @SqlQuery("SELECT " + LockRowMapper.COLUMNS + " FROM locks WHERE " + HELD
            + " ORDER BY created_at, id LIMIT :limit OFFSET :offset")
    List<Lock> page(@Bind("limit") int limit, @Bind("offset") long offset);

    @SqlQuery("SELECT COUNT(*) FROM locks WHERE " + HELD)
    long countHeld();
}
