package tracker.locks.persistence;

import java.lang.System.Logger.Level;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;
import javax.sql.DataSource;
import liquibase.Contexts;
import liquibase.LabelExpression;
import liquibase.Liquibase;
import liquibase.Scope;
import liquibase.database.Database;
import liquibase.database.DatabaseFactory;
import liquibase.database.jvm.JdbcConnection;
import liquibase.exception.LiquibaseException;
import liquibase.lockservice.DatabaseChangeLogLock;
import liquibase.resource.ClassLoaderResourceAccessor;
import liquibase.ui.LoggerUIService;

/**
 * The schema of the lock store, created and upgraded by Liquibase. Several instances may migrate at once: on
 * PostgreSQL they queue on an advisory lock first, because Liquibase's own lock table only protects a database
 * where that table already exists — two instances starting together on an empty database both try to create it.
 */
public final class LockSchema {

    /** The changelog on the classpath; the {@code db migrate} command uses the same one. */
    public static final String CHANGELOG = "db/changelog/tracker-locks.xml";

    private static final System.Logger LOG = System.getLogger(LockSchema.class.getName());

    /** Any fixed number; instances that agree on it migrate one at a time. ("TRKLOCKS" in ASCII.) */
    private static final long MIGRATION_LOCK = 0x54524B4C4F434B53L;

    private LockSchema() {
    }

    /** Brings the database behind {@code dataSource}, which speaks {@code dialect}, up to the latest schema. */
    public static void migrate(DataSource dataSource, SqlDialect dialect) {
        try (Connection connection = dataSource.getConnection()) {
            boolean autoCommit = connection.getAutoCommit();
            boolean postgres = dialect == SqlDialect.POSTGRESQL;
            String statementTimeout = postgres ? withoutStatementTimeout(connection) : null;
            if (postgres) {
                advisoryLock(connection, PostgresStatements.ADVISORY_LOCK);
            }
            try {
                update(connection, !postgres && ownsTheDatabase(connection.getMetaData().getURL()));
            } finally {
                if (postgres) {
                    advisoryLock(connection, PostgresStatements.ADVISORY_UNLOCK);
                    setStatementTimeout(connection, statementTimeout);
                }
            }
            // Liquibase may leave the connection in a transaction with autoCommit off; a pooled connection handed
            // back like that makes the next Jdbi handle fail on close ("Improper transaction handling detected").
            if (!connection.getAutoCommit()) {
                connection.commit();
                connection.setAutoCommit(autoCommit);
            }
        } catch (SQLException | LiquibaseException e) {
            throw new IllegalStateException("could not migrate the lock schema: " + e.getMessage(), e);
        }
    }

    /**
     * @param sole whether no other process can be migrating this database now; then a Liquibase lock found taken was
     *             left by a migration that died half way (a server killed while it started), and is let go: kept,
     *             the next start would wait five minutes for it and fail
     */
    @SuppressWarnings("deprecation") // the Liquibase facade is deprecated in 4.x in favour of CommandScope, same effect
    private static void update(Connection connection, boolean sole) throws LiquibaseException {
        Database database = DatabaseFactory.getInstance()
                .findCorrectDatabaseImplementation(new JdbcConnection(connection));
        Liquibase liquibase = new Liquibase(CHANGELOG,
                new ClassLoaderResourceAccessor(LockSchema.class.getClassLoader()), database);
        if (sole) {
            for (DatabaseChangeLogLock left : liquibase.listLocks()) {
                LOG.log(Level.WARNING, "letting go of the schema migration lock {0} has held since {1}: a migration"
                        + " that died half way left it, and nothing else can be migrating this embedded database",
                        left.getLockedBy(), left.getLockGranted().toInstant());
                liquibase.forceReleaseLocks();
            }
        }
        // Liquibase prints each change set and an "UPDATE SUMMARY" to standard output; as log lines they follow the
        // server's logging settings instead (LOG_FORMAT=json stays one JSON object per line, and the benchmark's
        // results stay clean).
        try {
            Scope.child(java.util.Map.of(Scope.Attr.ui.name(), new LoggerUIService(),
                            "liquibase.command.showSummaryOutput", "LOG"),
                    () -> liquibase.update(new Contexts(), new LabelExpression()));
        } catch (LiquibaseException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException("could not migrate the lock schema: " + e.getMessage(), e);
        }
    }

    /**
     * Whether this process has the H2 database at {@code url} to itself: an embedded database (a file or in memory)
     * is opened by one process only — H2 locks its file — unless it is served to others ({@code AUTO_SERVER}) or is
     * a server's.
     */
    static boolean ownsTheDatabase(String url) {
        String upper = url.toUpperCase(Locale.ROOT);
        return !upper.startsWith("JDBC:H2:TCP:") && !upper.startsWith("JDBC:H2:SSL:")
                && !upper.replace(" ", "").contains("AUTO_SERVER=TRUE");
    }

    /**
     * Lifts the pool's statement timeout for the migration: waiting for another instance's migration, or a schema
     * change on a large table, may take longer than a lock request ever should.
     *
     * @return the timeout to restore afterwards
     */
    private static String withoutStatementTimeout(Connection connection) throws SQLException {
        String current;
        try (Statement statement = connection.createStatement();
             ResultSet rs = statement.executeQuery(PostgresStatements.SHOW_STATEMENT_TIMEOUT)) {
            rs.next();
            current = rs.getString(1);
        }
        setStatementTimeout(connection, "0");
        return current;
    }

    private static void setStatementTimeout(Connection connection, String timeout) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(PostgresStatements.SET_STATEMENT_TIMEOUT)) {
            statement.setString(1, timeout);
            statement.execute();
        }
    }

    /** Takes or frees the session-level migration lock; session-level, so Liquibase's commits do not free it. */
    private static void advisoryLock(Connection connection, String sql) throws SQLException {
        if (!connection.getAutoCommit()) {
            connection.commit();
        }
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            statement.setLong(1, MIGRATION_LOCK);
            statement.execute();
        }
    }
}
