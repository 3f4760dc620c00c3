package tracker.locks.bench;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;
import java.util.Properties;

/**
 * How many connections the servers hold on the soak's database, asked on a connection of the soak's own (counted
 * too). A restart of the database breaks that connection; the next count opens a new one.
 */
final class ConnectionCounter implements AutoCloseable {

    private static final String COUNT = "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database()";

    private final String url;
    private final Properties properties = new Properties();
    private Connection connection;

    /** @param serverEnvironment the database's DB_URL, DB_USER and DB_PASSWORD, as the servers get them */
    ConnectionCounter(Map<String, String> serverEnvironment) {
        this.url = serverEnvironment.get("DB_URL");
        properties.setProperty("user", serverEnvironment.getOrDefault("DB_USER", ""));
        properties.setProperty("password", serverEnvironment.getOrDefault("DB_PASSWORD", ""));
        // A database that is down, or stopped mid-answer, costs the progress line seconds, not minutes.
        properties.setProperty("connectTimeout", "2");
        properties.setProperty("loginTimeout", "3");
        properties.setProperty("socketTimeout", "3");
    }

    /**
     * The connections to the database now, this one included; -1 while it cannot be asked. A connection broken by a
     * restart since the last count is replaced at once.
     */
    synchronized int count() {
        boolean reused = connection != null;
        int count = countOnce();
        return count < 0 && reused ? countOnce() : count;
    }

    private int countOnce() {
        try {
            if (connection == null) {
                connection = DriverManager.getConnection(url, properties);
            }
            try (Statement statement = connection.createStatement();
                 ResultSet count = statement.executeQuery(COUNT)) {
                count.next();
                return count.getInt(1);
            }
        } catch (SQLException unavailable) {
            close();
            return -1;
        }
    }

    @Override
    public synchronized void close() {
        if (connection != null) {
            try {
                connection.close();
            } catch (SQLException alreadyBroken) {
                // nothing left to free
            }
            connection = null;
        }
    }
}
