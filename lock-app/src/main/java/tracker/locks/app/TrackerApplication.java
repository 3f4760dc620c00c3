package tracker.locks.app;

import com.codahale.metrics.Gauge;
import io.dropwizard.configuration.EnvironmentVariableSubstitutor;
import io.dropwizard.configuration.SubstitutingSourceProvider;
import io.dropwizard.core.Application;
import io.dropwizard.core.cli.CheckCommand;
import io.dropwizard.core.setup.Bootstrap;
import io.dropwizard.core.setup.Environment;
import io.dropwizard.db.DataSourceFactory;
import io.dropwizard.db.ManagedDataSource;
import io.dropwizard.lifecycle.Managed;
import io.dropwizard.metrics.servlets.MetricsServlet;
import io.dropwizard.migrations.MigrationsBundle;
import io.dropwizard.util.Duration;
import io.grpc.ServerCredentials;
import io.prometheus.metrics.exporter.servlet.jakarta.PrometheusMetricsServlet;
import jakarta.servlet.DispatcherType;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.time.Clock;
import java.util.EnumSet;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.apache.tomcat.jdbc.pool.DataSourceProxy;
import org.eclipse.jetty.util.component.LifeCycle;
import org.glassfish.jersey.server.ServerProperties;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.NoTemplateEngine;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tracker.locks.app.docs.OpenApiDocument;
import tracker.locks.app.docs.SwaggerUiServlet;
import tracker.locks.app.web.DashboardServlet;
import tracker.locks.app.metrics.GrpcCallMetrics;
import tracker.locks.app.metrics.MeasuredGate;
import tracker.locks.app.metrics.RestRequestMetrics;
import tracker.locks.app.metrics.TrackerMetrics;
import tracker.locks.app.security.SecurityConfiguration;
import tracker.locks.app.security.TlsFiles;
import tracker.locks.app.security.TlsFilesException;
import tracker.locks.app.security.TokenCommand;
import tracker.locks.app.security.TokensFileException;
import tracker.locks.domain.port.in.LockGate;
import tracker.locks.domain.port.in.LockMaintenance;
import tracker.locks.domain.port.out.LockIdGenerator;
import tracker.locks.domain.port.out.ReleaseFeed;
import tracker.locks.domain.port.out.WaitingLine;
import tracker.locks.domain.service.AccessControl;
import tracker.locks.domain.service.LockService;
import tracker.locks.grpc.LockGrpcServer;
import tracker.locks.persistence.DatabaseDurability;
import tracker.locks.persistence.JdbiLockRepository;
import tracker.locks.persistence.LockSchema;
import tracker.locks.persistence.PostgresReleaseListener;
import tracker.locks.persistence.PostgresWaitingLine;
import tracker.locks.persistence.SqlDialect;
import tracker.locks.rest.JsonAnswerWriter;
import tracker.locks.rest.LockResource;
import tracker.locks.rest.BodyEncodingFilter;
import tracker.locks.rest.JsonOptionsAnswer;
import tracker.locks.rest.RestErrorMapper;

/**
 * The Tracker Locks server: one domain service over one database, offered over REST and gRPC. {@link #run} wires it
 * in steps, each a method of its own: who may do what (tokens, TLS), the database, the lock service, its maintenance,
 * gRPC, REST.
 */
public class TrackerApplication extends Application<TrackerConfiguration> {

    /** The name of the database pool, its metrics and its health check. */
    private static final String DATABASE = "database";
    /** The metric (a gauge on the admin port's /metrics) of LockService calls in flight. */
    static final String GRPC_ACTIVE_CALLS = "tracker.grpc.active-calls";
    /** The gauge of clients of this instance waiting for a held key. */
    static final String WAITING = "tracker.locks.waiting";
    /** The gauge (1 or 0) of whether this instance hears other instances' releases (PostgreSQL only). */
    static final String RELEASE_NOTIFICATIONS = "tracker.locks.release-notifications";
    private static final Logger LOG = LoggerFactory.getLogger(TrackerApplication.class);
    /** How long a scrape's count of held locks (a database query) is reused by the next scrapes. */
    private static final java.time.Duration HELD_COUNT_CACHE = java.time.Duration.ofSeconds(5);

    public static void main(String[] args) throws Exception {
        new TrackerApplication().run(args);
    }

    @Override
    public String getName() {
        return "tracker-locks";
    }

    @Override
    public void initialize(Bootstrap<TrackerConfiguration> bootstrap) {
        // ${VAR:-default} in the YAML; non-strict, so an unset variable takes its default.
        bootstrap.setConfigurationSourceProvider(new SubstitutingSourceProvider(new ConfigurationFiles(),
                new EnvironmentVariableSubstitutor(false)));
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

    @Override
    protected void addDefaultCommands(Bootstrap<TrackerConfiguration> bootstrap) {
        bootstrap.addCommand(new TrackerServerCommand(this));
        bootstrap.addCommand(new CheckCommand<>(this));
        bootstrap.addCommand(new TokenCommand());
    }

    @Override
    public void run(TrackerConfiguration configuration, Environment environment)
            throws TokensFileException, TlsFilesException {
        AccessControlFactory security = AccessControlFactory.of(configuration.getSecurity(), environment);
        Optional<TlsFiles> tls = tls(configuration.getSecurity(), environment);
        TrackerMetrics metrics = serveMetrics(environment);
        LockDatabase database = openDatabase(configuration, environment, metrics);
        LockService locks = lockService(database, configuration.getLocks(), environment);
        maintain(locks, configuration.getLocks(), environment);
        metrics.observe(locks, HELD_COUNT_CACHE);
        AccessControl gate = security.over(locks);
        security.warnWhenOpenOnTheNetwork(configuration);
        serveGrpc(new MeasuredGate(gate, "grpc", metrics), configuration.getGrpc(),
                tls.map(TlsFiles::grpcCredentials), new GrpcCallMetrics(metrics), environment);
        serveRest(new MeasuredGate(gate, "rest", metrics), environment);
        environment.jersey().register(new RestRequestMetrics(metrics));
        serveDocs(metrics.version(), environment);
        serveDashboard(environment);
        tls.ifPresent(files -> environment.lifecycle().addEventListener(new TlsOnJettyConnectors(files)));
    }

    /**
     * The Prometheus text format at the admin port's {@code /metrics} (the path Prometheus scrapes by default);
     * Dropwizard's own metrics as JSON move to {@code /metrics.json}.
     */
    private static TrackerMetrics serveMetrics(Environment environment) {
        String version = TrackerApplication.class.getPackage().getImplementationVersion();
        TrackerMetrics metrics = new TrackerMetrics(version == null ? "dev" : version);
        // Exact mappings win over the admin servlet's "/*", which would answer /metrics with its JSON.
        environment.admin().addServlet("prometheus", new PrometheusMetricsServlet(metrics.registry()))
                .addMapping("/metrics");
        environment.admin().addServlet("dropwizard-metrics", new MetricsServlet(environment.metrics()))
                .addMapping("/metrics.json");
        return metrics;
    }

    /** The API's OpenAPI document next to the API, and Swagger UI for it at {@code /docs}. */
    private static void serveDocs(String version, Environment environment) {
        environment.jersey().register(new OpenApiDocument(version));
        environment.servlets().addServlet("swagger-ui", new SwaggerUiServlet()).addMapping("/docs", "/docs/*");
    }

    /**
     * The dashboard at {@code /} (an exact mapping: the API keeps every other path), its files under {@code /ui/}.
     */
    private static void serveDashboard(Environment environment) {
        environment.servlets().addServlet("dashboard", new DashboardServlet()).addMapping("", "/ui/*");
    }

    /** The TLS files, re-read as they change, when TLS is on. */
    private static Optional<TlsFiles> tls(SecurityConfiguration settings, Environment environment)
            throws TlsFilesException {
        if (!settings.getTls().enabled()) {
            return Optional.empty();
        }
        TlsFiles files = TlsFiles.load(settings.getTls());
        long reloadMillis = settings.getReloadInterval().toMilliseconds();
        environment.lifecycle().scheduledExecutorService("tls-files").threads(1).build()
                .scheduleWithFixedDelay(files::check, reloadMillis, reloadMillis, TimeUnit.MILLISECONDS);
        LOG.info("TLS on the REST, gRPC and admin ports{}", files.requiresClientCertificates()
                ? "; REST and gRPC clients need a certificate signed by TLS_CLIENT_CA_FILE" : "");
        return Optional.of(files);
    }

    /** The lock database once its schema is up to date: its settings, its dialect, and Jdbi on its pool. */
    private record LockDatabase(DataSourceFactory settings, SqlDialect dialect, Jdbi jdbi) {
    }

    private static LockDatabase openDatabase(TrackerConfiguration configuration, Environment environment,
                                             TrackerMetrics metrics) {
        DataSourceFactory settings = configuration.getDatabase();
        SqlDialect dialect = SqlDialect.ofJdbcUrl(settings.getUrl());
        settings.setUrl(NetworkTimeouts.complete(settings.getUrl(),
                configuration.getStatementTimeout().toJavaDuration()));
        // The statement timeout is a setting of each connection, made once when the pool opens it: a JDBC query
        // timeout per statement costs a round trip (H2) or a timer task (PostgreSQL) on every call.
        settings.setInitializationQuery(
                dialect.statementTimeoutSql(configuration.getStatementTimeout().toMilliseconds()));
        ManagedDataSource pool = settings.build(environment.metrics(), DATABASE);
        environment.lifecycle().manage(pool);
        if (pool instanceof DataSourceProxy tomcat) {
            metrics.observePool(tomcat::getActive, tomcat::getIdle, tomcat::getWaitCount);
        }
        if (configuration.isMigrateOnStart()) {
            LockSchema.migrate(pool, dialect);
        }
        DatabaseDurability.check(pool, dialect).ifPresent(LOG::warn);
        embeddedFile(settings.getUrl()).ifPresent(file -> LOG.info("embedded H2 database: {}", file));
        environment.healthChecks().register(DATABASE, new DatabaseHealthCheck(pool,
                settings.getValidationQuery().orElse("SELECT 1"),
                settings.getValidationQueryTimeout().orElse(Duration.seconds(3)).toJavaDuration(),
                environment.getHealthCheckExecutorService()));
        Jdbi jdbi = Jdbi.create(pool);
        // No templates in our SQL: skip Jdbi's template parsing of every statement (measured: lock-bench).
        jdbi.setTemplateEngine(new NoTemplateEngine());
        return new LockDatabase(settings, dialect, jdbi);
    }

    /** The file of an embedded H2 database, as an absolute path: it follows the directory the server starts in. */
    private static Optional<Path> embeddedFile(String url) {
        String prefix = "jdbc:h2:file:";
        if (!url.startsWith(prefix)) {
            return Optional.empty();
        }
        String name = url.substring(prefix.length()).split(";", 2)[0];
        return Optional.of(Path.of(name + ".mv.db").toAbsolutePath().normalize());
    }

    /** The one lock service both transports serve, on the database's store, under the configured policy. */
    private static LockService lockService(LockDatabase database, LocksConfiguration settings,
                                           Environment environment) {
        return new LockService(JdbiLockRepository.on(database.jdbi(), database.dialect()), LockIdGenerator.random(),
                settings.policy(), Clock.systemUTC(), releasesElsewhere(database, environment),
                waitingLine(database, environment));
    }

    /**
     * Where clients wait for held keys: on PostgreSQL one line per key for every instance, kept in the database, so
     * waiters are served in the order they came whichever instance they called; on an embedded H2 (one instance) the
     * service's own line.
     */
    private static WaitingLine waitingLine(LockDatabase database, Environment environment) {
        if (database.dialect() != SqlDialect.POSTGRESQL) {
            return LockService.ownLine();
        }
        PostgresWaitingLine line = new PostgresWaitingLine(database.jdbi());
        environment.lifecycle().manage(new Managed() {
            @Override
            public void start() {
                line.start();
            }

            @Override
            public void stop() {
                line.close();
            }
        });
        return line;
    }

    /**
     * On PostgreSQL, releases through other instances wake this instance's waiters at once: a connection of its own,
     * outside the pool, listens for them as long as the server runs. An embedded H2 has no other instances.
     */
    private static ReleaseFeed releasesElsewhere(LockDatabase database, Environment environment) {
        if (database.dialect() != SqlDialect.POSTGRESQL) {
            return ReleaseFeed.NONE;
        }
        DataSourceFactory settings = database.settings();
        PostgresReleaseListener listener = new PostgresReleaseListener(
                () -> DriverManager.getConnection(settings.getUrl(), settings.getUser(), settings.getPassword()));
        environment.lifecycle().manage(new ManagedReleaseListener(listener));
        environment.metrics().register(RELEASE_NOTIFICATIONS, (Gauge<Integer>) () -> listener.isListening() ? 1 : 0);
        return listener;
    }

    /** The reaper of ended locks, the gauge of waiting clients, and their answer when the server stops. */
    private static void maintain(LockMaintenance locks, LocksConfiguration settings, Environment environment) {
        long reaperSeconds = settings.getReaperInterval().toSeconds();
        environment.lifecycle().scheduledExecutorService("lock-reaper").threads(1).build()
                .scheduleWithFixedDelay(new EndedLockReaper(locks), reaperSeconds, reaperSeconds, TimeUnit.SECONDS);
        environment.metrics().register(WAITING, (Gauge<Integer>) locks::waiting);
        // Jetty's graceful stop waits for requests in flight, and a waiting client's request could wait for the whole
        // grace period and then be cut off without an answer: as the server begins to stop, before that wait, the
        // waiting clients are told to go elsewhere (503 + Retry-After / UNAVAILABLE).
        environment.lifecycle().addEventListener(new LifeCycle.Listener() {
            @Override
            public void lifeCycleStopping(LifeCycle server) {
                locks.stopWaiting();
            }
        });
    }

    /** The gRPC server in the server's lifecycle, its health following the database's. */
    private static void serveGrpc(LockGate gate, GrpcServerFactory settings, Optional<ServerCredentials> tls,
                                  GrpcCallMetrics callMetrics, Environment environment) {
        LockGrpcServer grpc = settings.build(gate, tls, callMetrics);
        // Beside Jetty's active-requests counter on /metrics: the gRPC calls in flight, for watching a drain.
        environment.metrics().register(GRPC_ACTIVE_CALLS, (Gauge<Integer>) grpc::activeCalls);
        environment.lifecycle().manage(new ManagedGrpcServer(grpc, environment.healthChecks(), DATABASE,
                environment.lifecycle().scheduledExecutorService("grpc-health").threads(1).build()));
    }

    /**
     * The REST resource, its one error mapper, its answers' writer, the watch on waiting clients, the client's
     * address, and JSON for Jetty's own errors.
     */
    private static void serveRest(LockGate gate, Environment environment) {
        environment.jersey().property(ServerProperties.LOCATION_HEADER_RELATIVE_URI_RESOLUTION_DISABLED, true);
        // No 8 KB buffer per response to find its length: JsonAnswerWriter, which writes every answer, sets it.
        environment.jersey().property(ServerProperties.OUTBOUND_CONTENT_LENGTH_BUFFER, 0);
        environment.jersey().register(new LockResource(gate, environment.getObjectMapper()));
        environment.servlets().addFilter("client-address", new ClientAddressFilter())
                .addMappingForUrlPatterns(EnumSet.of(DispatcherType.REQUEST), true, "/api/*");
        environment.jersey().register(RestErrorMapper.class);
        environment.jersey().register(BodyEncodingFilter.class);
        environment.jersey().register(JsonOptionsAnswer.class);
        environment.jersey().register(new JsonAnswerWriter(environment.getObjectMapper()));
        environment.jersey().register(new JsonAnswerWriter.ForMaps(environment.getObjectMapper()));
        // A client that disconnects while it waits for a lock stops waiting (and is never left holding one).
        environment.servlets().addFilter("client-connection", new ClientConnectionFilter())
                .addMappingForUrlPatterns(EnumSet.of(DispatcherType.REQUEST), true, "/api/v1alpha1/lock");
        JsonJettyErrorHandler errors = new JsonJettyErrorHandler(environment.getObjectMapper());
        environment.getApplicationContext().setErrorHandler(errors);
        environment.lifecycle().addServerLifecycleListener(server -> server.setErrorHandler(errors));
    }
}
