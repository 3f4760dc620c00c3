package tracker.locks.persistence;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * A look at start-up at whether the database can keep what the server acknowledges: a lock is answered only after
 * its commit is durable ({@link Durability}), which holds only if the database itself forces commits to disk.
 */
public final class DatabaseDurability {

    /**
     * H2's setting for how long after a commit its background thread writes the change to the file (500 ms by
     * default). 0: no background writer at all, every commit is written by the committing statement itself before
     * it returns. Why not just a flush after the default's commits: H2's {@code MVStore.commit()} returns without
     * writing when another thread's store began meanwhile, and the background writer's stores run asynchronously, so
     * a flush can overtake the write it was meant to force. With no background writer, every store runs to its end
     * under the store's lock.
     */
    private static final String H2_WRITE_DELAY = "WRITE_DELAY";

    private DatabaseDurability() {
    }

    /**
     * The URL to connect with: an H2 URL without a {@code WRITE_DELAY} of its own gets {@code WRITE_DELAY=0};
     * every other URL is returned as it is.
     */
    public static String durableUrl(String url) {
        if (SqlDialect.ofJdbcUrl(url) != SqlDialect.H2 || url.toUpperCase(Locale.ROOT).contains(H2_WRITE_DELAY + "=")) {
            return url;
        }
        return url + ";" + H2_WRITE_DELAY + "=0";
    }

    /**
     * What makes acknowledged commits lose-able in a crash, as one sentence for a warning; empty when nothing does.
     * On PostgreSQL: {@code fsync} or {@code synchronous_commit} off. On H2: a {@code WRITE_DELAY} other than 0.
     *
     * @throws IllegalStateException when the settings cannot be read
     */
    public static Optional<String> check(DataSource dataSource, SqlDialect dialect) {
        try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement()) {
            if (dialect == SqlDialect.H2) {
                return h2WriteDelay(statement);
            }
            List<String> off = new ArrayList<>();
            try (ResultSet settings = statement.executeQuery(PostgresStatements.DURABILITY_SETTINGS)) {
                settings.next();
                if ("off".equals(settings.getString(1))) {
                    off.add("fsync=off");
                }
                if ("off".equals(settings.getString(2))) {
                    off.add("synchronous_commit=off");
                }
            }
            return off.isEmpty() ? Optional.empty() : Optional.of("PostgreSQL runs with " + String.join(", ", off)
                    + ": locks this server acknowledges would not survive a crash of the database (see README,"
                    + " \"When things fail\")");
        } catch (SQLException e) {
            throw new IllegalStateException("could not check that the lock database keeps its commits: "
                    + e.getMessage(), e);
        }
    }

    private static Optional<String> h2WriteDelay(Statement statement) throws SQLException {
        try (ResultSet setting = statement.executeQuery(H2Statements.WRITE_DELAY_SETTING)) {
            if (setting.next() && !"0".equals(setting.getString(1))) {
                return Optional.of("H2 runs with " + H2_WRITE_DELAY + "=" + setting.getString(1) + " (from the"
                        + " database URL): locks this server acknowledges may not survive a crash of the server;"
                        + " remove " + H2_WRITE_DELAY + " from the URL (see README, \"When things fail\")");
            }
            return Optional.empty();
        }
    }
}
