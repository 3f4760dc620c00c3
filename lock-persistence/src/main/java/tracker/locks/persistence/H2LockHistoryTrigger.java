package tracker.locks.persistence;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import org.h2.api.Trigger;

/**
 * The lock history on H2: a row trigger on {@code locks} (updates and deletes) that records each change in
 * {@code lock_events}, in the statement's own transaction — a change whose history cannot be written fails with it.
 * The same rules as PostgreSQL's {@code tracker_lock_history()} (the changelog), which sees a whole statement's rows
 * at once: an acquisition writes nothing (the lock's own row records it while it lasts); a lock's end writes its
 * life as one row (its end reason, with {@code acquired_at}); a row taken over records the life of a lapsed
 * predecessor, ended at its lease's end; a new lease on the same lock is a renewal; a lapsed lock deleted by the
 * reaper records its life, expired.
 *
 * <p>H2 stores this class's name in the database (the changelog's {@code CREATE TRIGGER}): never rename it.
 */
public final class H2LockHistoryTrigger implements Trigger {

    private static final String RECORD = """
            INSERT INTO lock_events (lock_id, service, environment, resource, who, owner, token, action, happened_at,
                                     expires_at, by_principal, acquired_at, acquired_expires_at)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?,
                    COALESCE(CAST(? AS TIMESTAMP WITH TIME ZONE), CURRENT_TIMESTAMP), ?, ?, ?, ?)""";

    /** Where each column of {@code locks} is in the rows H2 hands over. */
    private final Map<String, Integer> columns = new HashMap<>();

    @Override
    public void init(Connection connection, String schema, String trigger, String table, boolean before, int type)
            throws SQLException {
        try (PreparedStatement query = connection.prepareStatement("""
                SELECT COLUMN_NAME, ORDINAL_POSITION FROM INFORMATION_SCHEMA.COLUMNS
                WHERE TABLE_SCHEMA = ? AND TABLE_NAME = ?""")) {
            query.setString(1, schema);
            query.setString(2, table);
            try (ResultSet rows = query.executeQuery()) {
                while (rows.next()) {
                    columns.put(rows.getString(1).toLowerCase(java.util.Locale.ROOT), rows.getInt(2) - 1);
                }
            }
        }
    }

    @Override
    public void fire(Connection connection, Object[] before, Object[] after) throws SQLException {
        if (before == null || value(before, "released_at") != null) {
            return; // an acquisition, or a change to a lock that has ended: its life is written already
        }
        if (after == null) {
            if (lapsedUnnoticed(connection, before)) {
                recordLife(connection, before, "expired", value(before, "expires_at"), null);
            }
        } else if (!Objects.equals(value(before, "id"), value(after, "id"))) {
            recordLife(connection, before, "expired", value(before, "expires_at"), null);
        } else if (value(after, "released_at") != null) {
            Object reason = value(after, "end_reason");
            recordLife(connection, after, reason == null ? "released" : reason.toString(),
                    value(after, "released_at"), value(after, "ended_by"));
        } else if (!Objects.equals(value(before, "expires_at"), value(after, "expires_at"))) {
            record(connection, after, "renewed", null, null, false);
        }
    }

    /**
     * A deleted row (not ended: {@link #fire} looks no further at ended ones) whose lease had passed without anyone
     * ending it: the reaper saw its expiry first.
     */
    private boolean lapsedUnnoticed(Connection connection, Object[] row) throws SQLException {
        if (value(row, "expires_at") == null) {
            return false;
        }
        try (PreparedStatement query = connection.prepareStatement("SELECT CAST(? AS TIMESTAMP WITH TIME ZONE)"
                + " <= CURRENT_TIMESTAMP")) {
            query.setObject(1, value(row, "expires_at"));
            try (ResultSet result = query.executeQuery()) {
                return result.next() && result.getBoolean(1);
            }
        }
    }

    /** Writes the life of the lock in {@code row}: its acquisition and its end, {@code action} at {@code at}. */
    private void recordLife(Connection connection, Object[] row, String action, Object at, Object by)
            throws SQLException {
        record(connection, row, action, at, by, true);
    }

    /** Writes one row of the lock in {@code row}; {@code at} null: now; {@code life}: with its acquisition. */
    private void record(Connection connection, Object[] row, String action, Object at, Object by, boolean life)
            throws SQLException {
        try (PreparedStatement insert = connection.prepareStatement(RECORD)) {
            insert.setObject(1, value(row, "id"));
            insert.setObject(2, value(row, "service"));
            insert.setObject(3, value(row, "environment"));
            insert.setObject(4, value(row, "resource"));
            insert.setObject(5, value(row, "who"));
            insert.setObject(6, value(row, "owner"));
            insert.setObject(7, value(row, "token"));
            insert.setString(8, action);
            insert.setObject(9, at);
            insert.setObject(10, value(row, "expires_at"));
            insert.setObject(11, by);
            insert.setObject(12, life ? value(row, "created_at") : null);
            insert.setObject(13, life ? value(row, "granted_expires_at") : null);
            insert.executeUpdate();
        }
    }

    private Object value(Object[] row, String column) {
        Integer index = columns.get(column);
        if (index == null) {
            throw new IllegalStateException("table locks has no column " + column);
        }
        return row[index];
    }
}
