package tracker.locks.persistence;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.UUID;
import org.jdbi.v3.core.mapper.RowMapper;
import org.jdbi.v3.core.statement.StatementContext;
import tracker.locks.domain.model.LockAction;
import tracker.locks.domain.model.LockEvent;
import tracker.locks.domain.model.LockId;
import tracker.locks.domain.model.LockKey;

/** Reads a row of {@code lock_events} ({@link LockStatements#EVENT_COLUMNS}) as a domain {@link LockEvent}. */
final class LockEventRowMapper implements RowMapper<LockEvent> {

    static final LockEventRowMapper EVENTS = new LockEventRowMapper();

    @Override
    public LockEvent map(ResultSet rs, StatementContext ctx) throws SQLException {
        return new LockEvent(
                new LockId(rs.getObject("lock_id", UUID.class)),
                new LockKey(rs.getString("service"), rs.getString("environment"), rs.getString("resource")),
                rs.getString("who"),
                rs.getString("owner"),
                rs.getLong("token"),
                LockAction.ofWord(rs.getString("action")),
                LockRowMapper.instant(rs, "happened_at"),
                LockRowMapper.instant(rs, "expires_at"),
                rs.getString("by_principal"));
    }
}
