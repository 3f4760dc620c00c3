package tracker.locks.persistence;

import java.util.Optional;
import java.util.UUID;
import org.jdbi.v3.sqlobject.customizer.Bind;
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.jdbi.v3.sqlobject.statement.SqlUpdate;
import tracker.locks.domain.model.Lock;

/** The writes of the lock store on PostgreSQL. */
public interface PostgresLockDao extends DialectLockDao {

    /** The channel on which releases are announced, for clients waiting on other instances. */
    String RELEASED_CHANNEL = "tracker_lock_released";

    /** {@code :micros} as an interval; null stays null (no lease). */
    String MICROS = "CAST(:micros AS BIGINT) * INTERVAL '1 microsecond'";

    /**
     * The order in which statements that touch several keys lock their rows. Byte order ("C"), so it does not depend
     * on the database's collation.
     */
    String KEY_ORDER = "service COLLATE \"C\", environment COLLATE \"C\", resource COLLATE \"C\"";

    /**
     * The end of every acquisition: a key's row that exists is taken over only when its lock ended (released, or
     * lease passed), the token drawn after the row is locked; the rows taken are returned.
     */
    String TAKE_OVER_ENDED = " ON CONFLICT (service, environment, resource) DO UPDATE SET id = EXCLUDED.id,"
            + " who = EXCLUDED.who, event_id = EXCLUDED.event_id, created_at = EXCLUDED.created_at,"
            + " expires_at = EXCLUDED.expires_at, token = nextval('lock_tokens'), released_at = NULL"
            + " WHERE l.released_at IS NOT NULL OR l.expires_at <= CURRENT_TIMESTAMP"
            + " RETURNING " + LockRowMapper.COLUMNS;

    /** The end of every release (after a CTE {@code released} that ended locks): each release announced. */
    String ANNOUNCED = " RETURNING " + LockRowMapper.COLUMNS + ")"
            + " SELECT released.*, pg_notify('" + RELEASED_CHANNEL + "',"
            + " released.service || chr(31) || released.environment || chr(31) || released.resource) FROM released";

    /**
     * One statement: insert the key's row, or take over its row when that lock ended (released, or lease passed).
     * On takeover the token is drawn in the update, after the row is locked: later than the previous holder's.
     * Returns no row when the key is held. Run through Jdbi's fluent API by {@link JdbiLockRepository}: the hot path.
     */
    String ACQUIRE = "INSERT INTO locks AS l (" + LockRowMapper.COLUMNS + ")"
            + " VALUES (:id, :service, :environment, :resource, :who, :eventId, CURRENT_TIMESTAMP,"
            + " CURRENT_TIMESTAMP + " + MICROS + ", nextval('lock_tokens'))"
            + TAKE_OVER_ENDED;

    /** Ends the lock and announces the release to every instance in the same statement (hot path too). */
    String RELEASE = "WITH released AS (UPDATE locks SET released_at = CURRENT_TIMESTAMP WHERE id = :id AND " + HELD
            + ANNOUNCED;

    /**
     * {@link #ACQUIRE} for many candidates of distinct keys at once (group commit, see {@link StatementCombiner}):
     * the candidates come as parallel arrays and are taken in key order — the order every batch locks rows in, so
     * two batches never wait for each other in a cycle. Returns the rows taken.
     */
    String ACQUIRE_MANY = "INSERT INTO locks AS l (" + LockRowMapper.COLUMNS + ")"
            + " SELECT c.id, c.service, c.environment, c.resource, c.who, c.event_id, CURRENT_TIMESTAMP,"
            + " CURRENT_TIMESTAMP + c.micros * INTERVAL '1 microsecond', nextval('lock_tokens')"
            + " FROM unnest(CAST(:ids AS uuid[]), CAST(:services AS varchar[]), CAST(:environments AS varchar[]),"
            + " CAST(:resources AS varchar[]), CAST(:whos AS varchar[]), CAST(:eventIds AS varchar[]),"
            + " CAST(:micros AS bigint[])) AS c(id, service, environment, resource, who, event_id, micros)"
            + " ORDER BY " + KEY_ORDER
            + TAKE_OVER_ENDED;

    /** The held locks of many keys at once: the holders a batch of candidates lost to. */
    String FIND_HELD_BY_KEYS = "SELECT " + LockRowMapper.COLUMNS + " FROM locks"
            + " WHERE (service, environment, resource) IN (SELECT * FROM unnest(CAST(:services AS varchar[]),"
            + " CAST(:environments AS varchar[]), CAST(:resources AS varchar[])))"
            + " AND " + HELD;

    /**
     * {@link #RELEASE} for many ids at once: locks the rows in key order first, like {@link #ACQUIRE_MANY}, then
     * ends them and announces each release. Returns the locks released.
     */
    String RELEASE_MANY = "WITH released AS (UPDATE locks SET released_at = CURRENT_TIMESTAMP WHERE id IN"
            + " (SELECT id FROM locks WHERE id = ANY(CAST(:ids AS uuid[])) AND " + HELD
            + " ORDER BY " + KEY_ORDER + " FOR UPDATE) AND " + HELD
            + ANNOUNCED;

    @Override
    @SqlQuery("UPDATE locks SET expires_at = CURRENT_TIMESTAMP + " + MICROS + " WHERE id = :id AND " + HELD
            + " RETURNING " + LockRowMapper.COLUMNS)
    Optional<Lock> renew(@Bind("id") UUID id, @Bind("micros") long micros);

    /**
     * Skips rows another statement has locked: the reaper never waits, so it can never be part of a deadlock with a
     * statement that locks several rows (a row skipped now is deleted next time).
     */
    @Override
    @SqlUpdate("DELETE FROM locks WHERE id IN (SELECT id FROM locks WHERE released_at < CURRENT_TIMESTAMP - " + MICROS
            + " OR expires_at < CURRENT_TIMESTAMP - " + MICROS + " FOR UPDATE SKIP LOCKED)")
    int deleteEndedBefore(@Bind("micros") long micros);
}
