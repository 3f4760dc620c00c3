package tracker.locks.persistence;

import javax.sql.DataSource;
import org.apache.tomcat.jdbc.pool.PoolProperties;

/** Pooled data sources like the server's own, on the two databases the product supports. */
public final class TestDataSources {

    private TestDataSources() {
    }

    /** A private in-memory H2 database that lives as long as the JVM. */
    public static DataSource h2(String name) {
        return h2Url("jdbc:h2:mem:" + name + ";DB_CLOSE_DELAY=-1");
    }

    /** A pool on the H2 database at {@code url}. */
    public static DataSource h2Url(String url) {
        return pool("org.h2.Driver", url, "sa", "");
    }

    /** A new database on the shared embedded PostgreSQL. */
    public static DataSource postgres() {
        return postgres(EmbeddedPostgresServer.newDatabaseUrl());
    }

    /** A pool of its own on an existing database of the shared embedded PostgreSQL, as each instance has. */
    public static DataSource postgres(String url) {
        return pool("org.postgresql.Driver", url, "postgres", "postgres");
    }

    private static DataSource pool(String driver, String url, String user, String password) {
        PoolProperties properties = new PoolProperties();
        properties.setDriverClassName(driver);
        properties.setUrl(url);
        properties.setUsername(user);
        properties.setPassword(password);
        properties.setMaxActive(64);
        properties.setMaxIdle(64);
        properties.setInitialSize(0);
        return new org.apache.tomcat.jdbc.pool.DataSource(properties);
    }
}
