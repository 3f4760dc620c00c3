package tracker.locks.persistence;

import java.sql.Connection;
import java.sql.SQLException;
import javax.sql.DataSource;
import liquibase.Contexts;
import liquibase.LabelExpression;
import liquibase.Liquibase;
import liquibase.database.Database;
import liquibase.database.DatabaseFactory;
import liquibase.database.jvm.JdbcConnection;
import liquibase.exception.LiquibaseException;
import liquibase.resource.ClassLoaderResourceAccessor;

/**
 * The schema of the lock store, created and upgraded by Liquibase. Several instances may migrate at once: Liquibase's
 * own lock table lets one of them apply the changes while the others wait.
 */
public final class LockSchema {

    /** The changelog on the classpath; the {@code db migrate} command uses the same one. */
    public static final String CHANGELOG = "db/changelog/tracker-locks.xml";

    private LockSchema() {
    }

    /** Brings the database behind {@code dataSource} up to the latest schema. */
    @SuppressWarnings("deprecation") // the Liquibase facade is deprecated in 4.x in favour of CommandScope, same effect
    public static void migrate(DataSource dataSource) {
        try (Connection connection = dataSource.getConnection()) {
            boolean autoCommit = connection.getAutoCommit();
            Database database = DatabaseFactory.getInstance()
                    .findCorrectDatabaseImplementation(new JdbcConnection(connection));
            Liquibase liquibase = new Liquibase(CHANGELOG,
                    new ClassLoaderResourceAccessor(LockSchema.class.getClassLoader()), database);
            liquibase.update(new Contexts(), new LabelExpression());
            // Liquibase may leave the connection in a transaction with autoCommit off; a pooled connection handed
            // back like that makes the next Jdbi handle fail on close (stack.md, pitfall 1).
            if (!connection.getAutoCommit()) {
                connection.commit();
                connection.setAutoCommit(autoCommit);
            }
        } catch (SQLException | LiquibaseException e) {
            throw new IllegalStateException("could not migrate the lock schema: " + e.getMessage(), e);
        }
    }
}
