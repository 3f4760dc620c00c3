package tracker.locks.persistence;

import java.util.Optional;
import java.util.UUID;
import org.jdbi.v3.sqlobject.customizer.Bind;
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.jdbi.v3.sqlobject.statement.SqlUpdate;
import tracker.locks.domain.Lock;

/** The writes of the lock store on PostgreSQL. */
public interface PostgresLockDao extends DialectLockDao {

    /** The channel on which releases are announced, for clients waiting on other instances. */
    String RELEASED_CHANNEL = "tracker_lock_released";

    /** {@code :micros} as an interval; null stays null (no lease). */
    String MICROS = "CAST(:micros AS BIGINT) * INTERVAL '1 microsecond'";

    /**
     * One statement: insert the key's row, or take over its row when that lock ended (released, or lease passed).
     * On takeover the token is drawn in the update, after the row is locked: later than the previous holder's.
     * Returns no row when the key is held. Run through Jdbi's fluent API by {@link JdbiLockRepository}: the hot path.
     */
    String ACQUIRE = "INSERT INTO locks AS l (" + LockRowMapper.COLUMNS + ")"
            + " VALUES (:id, :service, :environment, :resource, :who, :eventId, CURRENT_TIMESTAMP,"
            + " CURRENT_TIMESTAMP + " + MICROS + ", nextval('lock_tokens'))"
            + " ON CONFLICT (service, environment, resource) DO UPDATE SET id = EXCLUDED.id, who = EXCLUDED.who,"
            + " event_id = EXCLUDED.event_id, created_at = EXCLUDED.created_at, expires_at = EXCLUDED.expires_at,"
            + " token = nextval('lock_tokens'), released_at = NULL"
            + " WHERE l.released_at IS NOT NULL OR l.expires_at <= CURRENT_TIMESTAMP"
            + " RETURNING " + LockRowMapper.COLUMNS;

    /** Ends the lock and announces the release to every instance in the same statement (hot path too). */
    String RELEASE = "WITH released AS (UPDATE locks SET released_at = CURRENT_TIMESTAMP WHERE id = :id AND " + HELD
            + " RETURNING " + LockRowMapper.COLUMNS + ")"
            + " SELECT released.*, pg_notify('" + RELEASED_CHANNEL + "',"
            + " released.service || chr(31) || released.environment || chr(31) || released.resource) FROM released";

    @Override
    @SqlQuery("UPDATE locks SET expires_at = CURRENT_TIMESTAMP + " + MICROS + " WHERE id = :id AND " + HELD
            + " RETURNING " + LockRowMapper.COLUMNS)
    Optional<Lock> renew(@Bind("id") UUID id, @Bind("micros") long micros);

    @Override
    @SqlUpdate("DELETE FROM locks WHERE released_at < CURRENT_TIMESTAMP - " + MICROS
            + " OR expires_at < CURRENT_TIMESTAMP - " + MICROS)
    int deleteEndedBefore(@Bind("micros") long micros);
}
