package tracker.locks.app;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.dropwizard.core.Configuration;
import io.dropwizard.db.DataSourceFactory;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;

/** The server's settings, read from {@code config/tracker.yml} with environment variables substituted. */
public class TrackerConfiguration extends Configuration {

    @Valid
    @NotNull
    private DataSourceFactory database = new DataSourceFactory();

    /** Whether the server applies pending schema changes itself at start-up (else run {@code db migrate} first). */
    private boolean migrateOnStart = true;

    @JsonProperty("database")
    public DataSourceFactory getDatabase() {
        return database;
    }

    /**
     * Takes the database settings, filling in what only the URL decides: the driver, and H2's default user. So
     * {@code DB_URL} alone switches between the embedded H2 and PostgreSQL.
     */
    @JsonProperty("database")
    public void setDatabase(DataSourceFactory database) {
        DatabaseKind kind = DatabaseKind.of(database.getUrl());
        if (database.getDriverClass() == null || database.getDriverClass().isBlank()) {
            database.setDriverClass(kind.driverClass());
        }
        if (database.getUser() == null || database.getUser().isBlank()) {
            database.setUser(kind.defaultUser());
        }
        this.database = database;
    }

    @JsonProperty
    public boolean isMigrateOnStart() {
        return migrateOnStart;
    }

    @JsonProperty
    public void setMigrateOnStart(boolean migrateOnStart) {
        this.migrateOnStart = migrateOnStart;
    }
}
