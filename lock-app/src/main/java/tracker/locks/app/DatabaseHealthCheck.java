package tracker.locks.app;

import com.codahale.metrics.health.HealthCheck;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import javax.sql.DataSource;

/**
 * Healthy while the lock database answers the validation query through the pool, within a time limit; unhealthy with
 * what went wrong — the driver's own reason (connection refused, authentication failed, …) or "no answer within".
 * The gRPC health service follows it.
 */
final class DatabaseHealthCheck extends HealthCheck {

    private final Callable<Void> validation;
    private final Duration timeout;
    private final ExecutorService executor;

    /** Runs {@code validationQuery} on a connection of {@code pool}, on {@code executor}, for at most {@code timeout}. */
    DatabaseHealthCheck(DataSource pool, String validationQuery, Duration timeout, ExecutorService executor) {
        this.validation = () -> {
            try (Connection connection = pool.getConnection(); Statement statement = connection.createStatement()) {
                statement.execute(validationQuery);
            }
            return null;
        };
        this.timeout = timeout;
        this.executor = executor;
    }

    @Override
    protected Result check() throws InterruptedException {
        Future<Void> validation = executor.submit(this.validation);
        try {
            validation.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            return Result.healthy();
        } catch (TimeoutException e) {
            validation.cancel(true);
            return Result.unhealthy("the database did not answer within " + timeout.toMillis() + " ms");
        } catch (ExecutionException e) {
            return Result.unhealthy("cannot reach the database: " + reason(e.getCause()));
        }
    }

    /** The innermost message: a pool's "could not create connection" wraps the driver's "Connection refused". */
    private static String reason(Throwable failure) {
        Throwable deepest = failure;
        while (deepest.getCause() != null && deepest.getCause() != deepest) {
            deepest = deepest.getCause();
        }
        String message = deepest.getMessage();
        if (message == null || message.isBlank()) {
            message = deepest.getClass().getSimpleName();
        }
        return failure instanceof SQLException sql && sql.getSQLState() != null && deepest == failure
                ? message + " (SQLState " + sql.getSQLState() + ")" : message;
    }
}
