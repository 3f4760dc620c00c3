package tracker.locks.persistence;

import java.time.OffsetDateTime;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.jdbi.v3.sqlobject.config.RegisterRowMapper;
import org.jdbi.v3.sqlobject.customizer.Bind;
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.jdbi.v3.sqlobject.statement.SqlUpdate;
import tracker.locks.domain.Lock;

/** The SQL of the lock store; every statement is a single one, so each is atomic on its own. */
@RegisterRowMapper(LockRowMapper.class)
public interface LockDao {

    /** Fails with a unique violation (SQLState 23505) when the key is held: the constraint is the mutual exclusion. */
    @SqlUpdate("INSERT INTO locks (" + LockRowMapper.COLUMNS + ")"
            + " VALUES (:id, :service, :environment, :resource, :who, :eventId, :createdAt)")
    void insert(@Bind("id") UUID id, @Bind("service") String service, @Bind("environment") String environment,
                @Bind("resource") String resource, @Bind("who") String who, @Bind("eventId") String eventId,
                @Bind("createdAt") OffsetDateTime createdAt);

    @SqlQuery("SELECT " + LockRowMapper.COLUMNS + " FROM locks"
            + " WHERE service = :service AND environment = :environment AND resource = :resource")
    Optional<Lock> findByKey(@Bind("service") String service,
                                                  @Bind("environment") String environment,
                                                  @Bind("resource") String resource);

    @SqlQuery("SELECT " + LockRowMapper.COLUMNS + " FROM locks WHERE id = :id")
    Optional<Lock> findById(@Bind("id") UUID id);

    @SqlUpdate("DELETE FROM locks WHERE id = :id")
    int deleteById(@Bind("id") UUID id);

    @SqlQuery("SELECT " + LockRowMapper.COLUMNS + " FROM locks ORDER BY created_at, id LIMIT :limit OFFSET :offset")
    List<Lock> page(@Bind("limit") int limit, @Bind("offset") long offset);

    @SqlQuery("SELECT COUNT(*) FROM locks")
    long count();
}
