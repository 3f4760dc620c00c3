package tracker.locks.app;

/** The databases the server runs on, told apart by their JDBC URL. */
enum DatabaseKind {

    H2("org.h2.Driver", "sa"),
    POSTGRESQL("org.postgresql.Driver", null);

    private final String driverClass;
    private final String defaultUser;

    DatabaseKind(String driverClass, String defaultUser) {
        this.driverClass = driverClass;
        this.defaultUser = defaultUser;
    }

    static DatabaseKind of(String jdbcUrl) {
        if (jdbcUrl != null && jdbcUrl.startsWith("jdbc:postgresql:")) {
            return POSTGRESQL;
        }
        if (jdbcUrl != null && jdbcUrl.startsWith("jdbc:h2:")) {
            return H2;
        }
        throw new IllegalArgumentException(
                "DB_URL must start with jdbc:h2: or jdbc:postgresql:, got \"" + jdbcUrl + "\"");
    }

    String driverClass() {
        return driverClass;
    }

    /** The user to connect as when none is configured; PostgreSQL has none, its driver asks the server. */
    String defaultUser() {
        return defaultUser;
    }
}
