package tracker.locks.app;

import com.codahale.metrics.Gauge;
import io.dropwizard.configuration.EnvironmentVariableSubstitutor;
import io.dropwizard.configuration.SubstitutingSourceProvider;
import io.dropwizard.core.Application;
import io.dropwizard.core.setup.Bootstrap;
import io.dropwizard.core.setup.Environment;
import io.dropwizard.db.DataSourceFactory;
import io.dropwizard.db.ManagedDataSource;
import io.dropwizard.jdbi3.JdbiFactory;
import io.dropwizard.migrations.MigrationsBundle;
import jakarta.servlet.DispatcherType;
import java.sql.DriverManager;
import java.time.Clock;
import java.util.EnumSet;
import java.util.concurrent.TimeUnit;
import org.glassfish.jersey.server.ServerProperties;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.NoTemplateEngine;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tracker.locks.domain.LockIdGenerator;
import tracker.locks.domain.LockKey;
import tracker.locks.domain.LockService;
import tracker.locks.grpc.LockGrpcServer;
import tracker.locks.persistence.DatabaseDurability;
import tracker.locks.persistence.JdbiLockRepository;
import tracker.locks.persistence.LockSchema;
import tracker.locks.persistence.PostgresReleaseListener;
import tracker.locks.persistence.SqlDialect;
import tracker.locks.rest.LockResource;
import tracker.locks.rest.RestErrorMapper;

/** The Tracker Locks server: one domain service over one database, offered over REST and gRPC. */
public class TrackerApplication extends Application<TrackerConfiguration> {

    /** The name of the database pool, its metrics and its health check. */
    private static final String DATABASE = "database";
    /** The metric (a gauge on the admin port's /metrics) of LockService calls in flight. */
    static final String GRPC_ACTIVE_CALLS = "tracker.grpc.active-calls";
    private static final Logger LOG = LoggerFactory.getLogger(TrackerApplication.class);

    public static void main(String[] args) throws Exception {
        new TrackerApplication().run(args);
    }

    /** The service built by {@link #run}, kept for {@link #waitingFor}. */
    private volatile LockService lockService;

    @Override
    public String getName() {
        return "tracker-locks";
    }

    @Override
    public void initialize(Bootstrap<TrackerConfiguration> bootstrap) {
        // ${VAR:-default} in the YAML; non-strict, so an unset variable takes its default.
        bootstrap.setConfigurationSourceProvider(new SubstitutingSourceProvider(
                bootstrap.getConfigurationSourceProvider(), new EnvironmentVariableSubstitutor(false)));
        bootstrap.addBundle(new MigrationsBundle<>() {
            @Override
            public DataSourceFactory getDataSourceFactory(TrackerConfiguration configuration) {
                return configuration.getDatabase();
            }

            @Override
            public String getMigrationsFileName() {
                return LockSchema.CHANGELOG;
            }
        });
    }

    /** How many clients of this instance wait for the plain lock of {@code service} (tests and diagnostics). */
    int waitingFor(String service) {
        return lockService == null ? 0 : lockService.waitingFor(LockKey.ofService(service));
    }

    @Override
    public void run(TrackerConfiguration configuration, Environment environment) {
        DataSourceFactory database = configuration.getDatabase();
        SqlDialect dialect = SqlDialect.ofJdbcUrl(database.getUrl());
        // The statement timeout is a setting of each connection, made once when the pool opens it: a JDBC query
        // timeout per statement costs a round trip (H2) or a timer task (PostgreSQL) on every call.
        database.setInitializationQuery(
                dialect.statementTimeoutSql(configuration.getStatementTimeout().toMilliseconds()));
        ManagedDataSource dataSource = database.build(environment.metrics(), DATABASE);
        if (configuration.isMigrateOnStart()) {
            LockSchema.migrate(dataSource);
        }
        DatabaseDurability.check(dataSource, dialect).ifPresent(LOG::warn);
        // Manages the pool's lifecycle and registers the database health check on the admin port.
        Jdbi jdbi = new JdbiFactory().build(environment, database, dataSource, DATABASE);
        // No templates in our SQL: skip Jdbi's template parsing of every statement (measured: lock-bench).
        jdbi.setTemplateEngine(new NoTemplateEngine());

        LockService locks = new LockService(JdbiLockRepository.on(jdbi, dialect), LockIdGenerator.random(),
                configuration.getLocks().policy(), Clock.systemUTC());
        lockService = locks;
        if (dialect == SqlDialect.POSTGRESQL) {
            // Releases on other instances wake this instance's waiters at once. A connection of its own, outside
            // the pool: it is held for as long as the server runs.
            environment.lifecycle().manage(new ManagedReleaseListener(new PostgresReleaseListener(
                    () -> DriverManager.getConnection(database.getUrl(), database.getUser(), database.getPassword()),
                    locks)));
        }
        long reaperSeconds = configuration.getLocks().getReaperInterval().toSeconds();
        environment.lifecycle().scheduledExecutorService("lock-reaper").threads(1).build()
                .scheduleWithFixedDelay(new EndedLockReaper(locks), reaperSeconds, reaperSeconds, TimeUnit.SECONDS);

        LockGrpcServer grpc = new LockGrpcServer(locks, configuration.getGrpc().settings());
        // Beside Jetty's active-requests counter on /metrics: the gRPC calls in flight, for watching a drain.
        environment.metrics().register(GRPC_ACTIVE_CALLS, (Gauge<Integer>) grpc::activeCalls);
        environment.lifecycle().manage(new ManagedGrpcServer(grpc, environment.healthChecks(), DATABASE,
                environment.lifecycle().scheduledExecutorService("grpc-health").threads(1).build()));

        environment.jersey().property(ServerProperties.LOCATION_HEADER_RELATIVE_URI_RESOLUTION_DISABLED, true);
        environment.jersey().register(new LockResource(locks, environment.getObjectMapper()));
        environment.jersey().register(RestErrorMapper.class);
        // A client that disconnects while it waits for a lock stops waiting (and is never left holding one).
        environment.servlets().addFilter("client-connection", new ClientConnectionFilter())
                .addMappingForUrlPatterns(EnumSet.of(DispatcherType.REQUEST), true, "/api/v1alpha1/lock");
        JsonJettyErrorHandler errors = new JsonJettyErrorHandler(environment.getObjectMapper());
        environment.getApplicationContext().setErrorHandler(errors);
        environment.lifecycle().addServerLifecycleListener(server -> server.setErrorHandler(errors));
    }
}
