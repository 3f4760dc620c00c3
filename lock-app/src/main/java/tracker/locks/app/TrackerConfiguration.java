package tracker.locks.app;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.dropwizard.core.Configuration;
import io.dropwizard.db.DataSourceFactory;
import io.dropwizard.util.Duration;
import io.dropwizard.validation.MinDuration;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import java.util.concurrent.TimeUnit;
import tracker.locks.app.security.SecurityConfiguration;

/** The server's settings, read from {@code config/tracker.yml} with environment variables substituted. */
public class TrackerConfiguration extends Configuration {

    @Valid
    @NotNull
    private DataSourceFactory database = new DataSourceFactory();

    @Valid
    @NotNull
    private GrpcServerFactory grpc = new GrpcServerFactory();

    @Valid
    @NotNull
    private LocksConfiguration locks = new LocksConfiguration();

    @Valid
    @NotNull
    private SecurityConfiguration security = new SecurityConfiguration();

    /**
     * How long one SQL statement may run before the database cancels it and the request is answered as unavailable:
     * a database that hangs must not hold requests (and pool connections) forever.
     */
    @NotNull
    @MinDuration(value = 1, unit = TimeUnit.SECONDS)
    private Duration statementTimeout = Duration.seconds(5);

    /** Whether the server applies pending schema changes itself at start-up (else run {@code db migrate} first). */
    private boolean migrateOnStart = true;

    @JsonProperty("database")
    public DataSourceFactory getDatabase() {
        return database;
    }

    /**
     * Takes the database settings, and completes them in place with what only the URL decides
     * ({@link DatabaseDefaults}), so that whatever reads them later — the pool, {@code db migrate} — reads the same.
     */
    @JsonProperty("database")
    public void setDatabase(DataSourceFactory database) {
        DatabaseDefaults.complete(database);
        this.database = database;
    }

    @JsonProperty
    public LocksConfiguration getLocks() {
        return locks;
    }

    @JsonProperty
    public void setLocks(LocksConfiguration locks) {
        this.locks = locks;
    }

    @JsonProperty
    public SecurityConfiguration getSecurity() {
        return security;
    }

    @JsonProperty
    public void setSecurity(SecurityConfiguration security) {
        this.security = security;
    }

    @JsonProperty
    public GrpcServerFactory getGrpc() {
        return grpc;
    }

    @JsonProperty
    public void setGrpc(GrpcServerFactory grpc) {
        this.grpc = grpc;
    }

    @JsonProperty
    public Duration getStatementTimeout() {
        return statementTimeout;
    }

    @JsonProperty
    public void setStatementTimeout(Duration statementTimeout) {
        this.statementTimeout = statementTimeout;
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
