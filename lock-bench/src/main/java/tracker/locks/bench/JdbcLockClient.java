package tracker.locks.bench;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.UUID;
import javax.sql.DataSource;

/**
 * The database's own limit: the statements the server issues for a lock, straight through JDBC on a pool of the same
 * size, autocommit, one connection borrowed per statement as the server does — and nothing else (no HTTP, no gRPC,
 * no JSON, no validation query, no statement timeout).
 *
 * <p>Acquire is the server's {@code INSERT}; on a unique violation it reads the holder by key as the server does to
 * answer the conflict (and tries again when the holder vanished in between, as the server does). Release is the
 * server's {@code DELETE} by id.
 */
final class JdbcLockClient implements LockClient {

    static final String INSERT = "INSERT INTO locks (id, service, environment, resource, who, event_id, created_at)"
            + " VALUES (?, ?, ?, ?, ?, ?, ?)";
    static final String FIND_BY_KEY = "SELECT id, service, environment, resource, who, event_id, created_at FROM locks"
            + " WHERE service = ? AND environment = ? AND resource = ?";
    static final String DELETE = "DELETE FROM locks WHERE id = ?";

    /** The schema the server's Liquibase changelog creates, in plain DDL, for the baseline's own H2 database. */
    static final String[] SCHEMA = {
        "CREATE TABLE locks ("
            + " id UUID NOT NULL,"
            + " service VARCHAR(255) NOT NULL,"
            + " environment VARCHAR(255) DEFAULT '' NOT NULL,"
            + " resource VARCHAR(255) DEFAULT '' NOT NULL,"
            + " who VARCHAR(255) NOT NULL,"
            + " event_id VARCHAR(255),"
            + " created_at TIMESTAMP WITH TIME ZONE NOT NULL,"
            + " CONSTRAINT pk_locks PRIMARY KEY (id),"
            + " CONSTRAINT uq_locks_key UNIQUE (service, environment, resource))",
        "CREATE INDEX ix_locks_created_at_id ON locks (created_at, id)",
    };

    private static final String UNIQUE_VIOLATION = "23505";
    private static final int HOLDER_VANISHED_RETRIES = 100; // as the server's LockService

    private final DataSource pool;

    JdbcLockClient(DataSource pool) {
        this.pool = pool;
    }

    @Override
    public String acquire(String service, String environment, String who) throws SQLException {
        for (int attempt = 0; attempt < HOLDER_VANISHED_RETRIES; attempt++) {
            UUID id = UUID.randomUUID();
            try (Connection connection = pool.getConnection();
                 PreparedStatement insert = connection.prepareStatement(INSERT)) {
                insert.setObject(1, id);
                insert.setString(2, service);
                insert.setString(3, environment);
                insert.setString(4, "");
                insert.setString(5, who);
                insert.setNull(6, Types.VARCHAR);
                insert.setObject(7, OffsetDateTime.now(ZoneOffset.UTC));
                insert.executeUpdate();
                return id.toString();
            } catch (SQLException e) {
                if (!UNIQUE_VIOLATION.equals(e.getSQLState())) {
                    throw e;
                }
            }
            if (holderExists(service, environment)) {
                return null;
            }
        }
        throw new IllegalStateException("the holder of " + service + " vanished " + HOLDER_VANISHED_RETRIES
                + " times in a row");
    }

    private boolean holderExists(String service, String environment) throws SQLException {
        try (Connection connection = pool.getConnection();
             PreparedStatement find = connection.prepareStatement(FIND_BY_KEY)) {
            find.setString(1, service);
            find.setString(2, environment);
            find.setString(3, "");
            try (ResultSet holder = find.executeQuery()) {
                if (!holder.next()) {
                    return false;
                }
                // Read the row as the server maps it, so the baseline pays for the same transfer.
                holder.getObject(1, UUID.class);
                holder.getString(2);
                holder.getString(3);
                holder.getString(4);
                holder.getString(5);
                holder.getString(6);
                holder.getObject(7, OffsetDateTime.class);
                return true;
            }
        }
    }

    @Override
    public void release(String id) throws SQLException {
        try (Connection connection = pool.getConnection();
             PreparedStatement delete = connection.prepareStatement(DELETE)) {
            delete.setObject(1, UUID.fromString(id));
            int deleted = delete.executeUpdate();
            if (deleted != 1) {
                throw new IllegalStateException("DELETE removed " + deleted + " rows for " + id);
            }
        }
    }
}
