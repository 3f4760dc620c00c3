package tracker.locks.app;

import com.codahale.metrics.health.HealthCheck;
import com.codahale.metrics.health.HealthCheckRegistry;
import io.dropwizard.lifecycle.Managed;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import tracker.locks.grpc.LockGrpcServer;

/**
 * Runs the gRPC server inside the Dropwizard lifecycle, and keeps its standard health service in step with the
 * database health check: SERVING while the database answers, NOT_SERVING while it does not.
 */
final class ManagedGrpcServer implements Managed {

    private static final long HEALTH_INTERVAL_MILLIS = 1_000;

    private final LockGrpcServer server;
    private final HealthCheckRegistry healthChecks;
    private final String databaseCheck;
    private final ScheduledExecutorService scheduler;

    ManagedGrpcServer(LockGrpcServer server, HealthCheckRegistry healthChecks, String databaseCheck,
                      ScheduledExecutorService scheduler) {
        this.server = server;
        this.healthChecks = healthChecks;
        this.databaseCheck = databaseCheck;
        this.scheduler = scheduler;
    }

    @Override
    public void start() throws Exception {
        server.start();
        scheduler.scheduleWithFixedDelay(this::followDatabaseHealth, 0, HEALTH_INTERVAL_MILLIS, TimeUnit.MILLISECONDS);
    }

    @Override
    public void stop() {
        server.stop();
    }

    private void followDatabaseHealth() {
        HealthCheck.Result result = healthChecks.runHealthCheck(databaseCheck);
        server.setServing(result.isHealthy());
    }
}
