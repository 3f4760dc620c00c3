package tracker.locks.persistence;

import java.util.Optional;
import java.util.UUID;
import org.jdbi.v3.sqlobject.customizer.Bind;
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.jdbi.v3.sqlobject.statement.SqlUpdate;
import tracker.locks.domain.model.Lock;

/** The writes of the lock store on H2, whose delta tables ({@code FINAL TABLE}) return what a write changed. */
public interface H2LockDao extends DialectLockDao {

    /** {@code :micros} from now; null stays null (no lease). */
    String NOW_PLUS_MICROS = "DATEADD(MICROSECOND, CAST(:micros AS BIGINT), CURRENT_TIMESTAMP)";

    /**
     * One statement: insert the key's row, or take over its row when that lock ended (released, or lease passed).
     * On takeover the token is drawn in the update, after the row is locked. Returns no row when the key is held.
     * Run through Jdbi's fluent API by {@link JdbiLockRepository}: the hot path.
     */
    String ACQUIRE = "SELECT " + LockRowMapper.COLUMNS + " FROM FINAL TABLE (MERGE INTO locks l USING (VALUES"
            + " (CAST(:id AS UUID), CAST(:service AS VARCHAR(255)), CAST(:environment AS VARCHAR(255)),"
            + " CAST(:resource AS VARCHAR(255)))) k(id, service, environment, resource)"
            + " ON l.service = k.service AND l.environment = k.environment AND l.resource = k.resource"
            + " WHEN MATCHED AND (l.released_at IS NOT NULL OR l.expires_at <= CURRENT_TIMESTAMP) THEN UPDATE SET"
            + " id = k.id, who = :who, event_id = :eventId, created_at = CURRENT_TIMESTAMP,"
            + " expires_at = " + NOW_PLUS_MICROS + ", token = NEXT VALUE FOR lock_tokens, released_at = NULL"
            + " WHEN NOT MATCHED THEN INSERT (" + LockRowMapper.COLUMNS + ") VALUES (k.id, k.service, k.environment,"
            + " k.resource, :who, :eventId, CURRENT_TIMESTAMP, " + NOW_PLUS_MICROS + ", NEXT VALUE FOR lock_tokens))";

    /** Ends the lock (hot path too). */
    String RELEASE = "SELECT " + LockRowMapper.COLUMNS + " FROM FINAL TABLE (UPDATE locks"
            + " SET released_at = CURRENT_TIMESTAMP WHERE id = :id AND " + HELD + ")";

    @Override
    @SqlQuery("SELECT " + LockRowMapper.COLUMNS + " FROM FINAL TABLE (UPDATE locks"
            + " SET expires_at = " + NOW_PLUS_MICROS + " WHERE id = :id AND " + HELD + ")")
    Optional<Lock> renew(@Bind("id") UUID id, @Bind("micros") long micros);

    @Override
    @SqlUpdate("DELETE FROM locks WHERE released_at < DATEADD(MICROSECOND, -CAST(:micros AS BIGINT), CURRENT_TIMESTAMP)"
            + " OR expires_at < DATEADD(MICROSECOND, -CAST(:micros AS BIGINT), CURRENT_TIMESTAMP)")
    int deleteEndedBefore(@Bind("micros") long micros);
}
