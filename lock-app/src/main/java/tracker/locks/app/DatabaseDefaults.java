package tracker.locks.app;

import io.dropwizard.db.DataSourceFactory;
import tracker.locks.persistence.DatabaseDurability;
import tracker.locks.persistence.SqlDialect;

/**
 * What the server fills in of the {@code database:} settings from the URL alone, so that {@code DB_URL} by itself
 * switches between the embedded H2 and PostgreSQL: the driver, H2's user, and H2's setting that writes each commit
 * before it returns.
 */
final class DatabaseDefaults {

    /** The user an embedded H2 database is created with, and who administers it. */
    static final String H2_USER = "sa";

    private DatabaseDefaults() {
    }

    /** Completes {@code database} in place; settings given explicitly are kept. */
    static void complete(DataSourceFactory database) {
        SqlDialect dialect = SqlDialect.ofJdbcUrl(database.getUrl());
        database.setUrl(DatabaseDurability.durableUrl(database.getUrl()));
        if (isBlank(database.getDriverClass())) {
            database.setDriverClass(dialect == SqlDialect.H2 ? "org.h2.Driver" : "org.postgresql.Driver");
        }
        if (isBlank(database.getUser())) {
            // PostgreSQL without a user: its driver asks the server with the operating system's user name.
            database.setUser(dialect == SqlDialect.H2 ? H2_USER : null);
        }
    }

    private static boolean isBlank(String value) {
        return value == null || value.isBlank();
    }
}
