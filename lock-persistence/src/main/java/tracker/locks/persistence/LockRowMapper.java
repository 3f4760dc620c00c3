package tracker.locks.persistence;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.UUID;
import org.jdbi.v3.core.mapper.RowMapper;
import org.jdbi.v3.core.statement.StatementContext;
import tracker.locks.domain.model.HolderRule;
import tracker.locks.domain.model.Lock;
import tracker.locks.domain.model.LockId;
import tracker.locks.domain.model.LockKey;
import tracker.locks.domain.model.LockMode;
import tracker.locks.domain.port.out.AcquireOutcome;

/** Reads a row of the {@code locks} table ({@link LockStatements#COLUMNS}) as a domain {@link Lock}. */
final class LockRowMapper implements RowMapper<Lock> {

    /** The one instance the repository's statements map with (the mapper keeps no state). */
    static final LockRowMapper ROWS = new LockRowMapper();

    /** A row an acquisition took ({@link LockStatements#TAKEN_COLUMNS}). */
    static final RowMapper<AcquireOutcome.Acquired> TAKEN = (rs, ctx) -> new AcquireOutcome.Acquired(
            ROWS.map(rs, ctx), rs.getBoolean("replaced_lapsed"));

    @Override
    public Lock map(ResultSet rs, StatementContext ctx) throws SQLException {
        return new Lock(
                new LockId(rs.getObject("id", UUID.class)),
                new LockKey(rs.getString("service"), rs.getString("environment"), rs.getString("resource")),
                rs.getString("who"),
                instant(rs, "created_at"),
                rs.getString("event_id"),
                instant(rs, "expires_at"),
                rs.getLong("token"),
                rs.getString("owner"),
                new HolderRule(rs.getInt("holder_limit"), LockMode.parse(rs.getString("holder_mode"))));
    }

    /** A held lock with its place among its key's holders ({@link LockStatements#HOLDERS_OF_KEY}). */
    static final RowMapper<HolderRule.PlacedHolder> PLACED = (rs, ctx) -> new HolderRule.PlacedHolder(
            ROWS.map(rs, ctx), rs.getInt("place"));

    static Instant instant(ResultSet rs, String column) throws SQLException {
        OffsetDateTime value = rs.getObject(column, OffsetDateTime.class);
        return value == null ? null : value.toInstant();
    }
}
