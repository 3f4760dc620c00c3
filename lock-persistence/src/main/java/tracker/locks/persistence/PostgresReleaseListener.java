package tracker.locks.persistence;

import java.lang.System.Logger.Level;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;
import tracker.locks.domain.model.LockKey;
import tracker.locks.domain.port.out.ReleaseFeed;

/**
 * The {@link ReleaseFeed} on PostgreSQL: listens for the releases every instance announces ({@code NOTIFY} in the
 * release statement), so a release on one instance wakes a client waiting on another at once. Runs on a thread of its
 * own with a connection of its own; when the connection breaks it connects again (waiters meanwhile fall back to
 * polling).
 */
public final class PostgresReleaseListener implements ReleaseFeed, AutoCloseable {

    /** A source of connections, such as the pool's {@code DataSource::getConnection}. */
    @FunctionalInterface
    public interface ConnectionSource {
        Connection open() throws SQLException;
    }

    private static final System.Logger LOG = System.getLogger(PostgresReleaseListener.class.getName());
    private static final int POLL_MILLIS = 500;
    private static final long RECONNECT_MILLIS = 1_000;
    /**
     * How long the connection may stay silent before the listener asks the database whether it is still there:
     * waiting for notifications never notices a network that drops everything without a reset (nothing arrives
     * either way), so without asking the listener would believe itself subscribed on a dead connection for as long
     * as TCP keeps it, and waiters on this instance would only ever poll.
     */
    static final long LIVENESS_MILLIS = 3_000;
    /** How long the database has to answer that question before the connection is given up and opened again. */
    static final int LIVENESS_TIMEOUT_MILLIS = 3_000;

    private final ConnectionSource connections;
    private final Thread thread;
    private volatile Consumer<LockKey> subscriber = key -> {
    };
    private volatile boolean running = true;
    private volatile boolean listening;
    /** Whether the last connection broke, so that listening again is worth a line in the log. */
    private boolean interrupted;

    public PostgresReleaseListener(ConnectionSource connections) {
        this.connections = connections;
        this.thread = new Thread(this::run, "lock-release-listener");
        this.thread.setDaemon(true);
    }

    @Override
    public void subscribe(Consumer<LockKey> onRelease) {
        subscriber = Objects.requireNonNull(onRelease, "onRelease");
    }

    /** Starts listening; releases heard before {@link #subscribe} are dropped (nobody waits for them yet). */
    public void start() {
        thread.start();
    }

    /**
     * Whether the listener is connected and subscribed; when it is not, waiters fall back to polling. Shown on the
     * admin port's metrics.
     */
    public boolean isListening() {
        return listening;
    }

    private void run() {
        while (running) {
            try (Connection connection = connections.open()) {
                listen(connection);
            } catch (SQLException | RuntimeException e) {
                listening = false;
                interrupted = true;
                if (running) {
                    LOG.log(Level.WARNING, "release notifications interrupted ({0}); reconnecting", e.getMessage());
                    pause();
                }
            }
        }
    }

    private void listen(Connection connection) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            statement.execute(PostgresStatements.LISTEN);
        }
        if (!connection.getAutoCommit()) {
            connection.commit();
        }
        PGConnection postgres = connection.unwrap(PGConnection.class);
        // The bound on the liveness question; waiting for notifications sets its own timeout and puts this back.
        connection.setNetworkTimeout(Runnable::run, LIVENESS_TIMEOUT_MILLIS);
        if (interrupted) {
            LOG.log(Level.INFO, "listening for release notifications again");
            interrupted = false;
        }
        listening = true;
        long lastHeard = System.nanoTime();
        while (running) {
            PGNotification[] notifications = postgres.getNotifications(POLL_MILLIS);
            if (notifications != null && notifications.length > 0) {
                lastHeard = System.nanoTime();
                for (PGNotification notification : notifications) {
                    keyOf(notification.getParameter()).ifPresent(subscriber);
                }
            } else if (System.nanoTime() - lastHeard > LIVENESS_MILLIS * 1_000_000) {
                askStillThere(connection);
                lastHeard = System.nanoTime();
            }
        }
    }

    /** A round trip on the listening connection; fails (and so reconnects) when the database does not answer. */
    private static void askStillThere(Connection connection) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            statement.execute(PostgresStatements.LIVENESS);
        }
    }

    /**
     * The payload is the key's three parts joined by U+001F, a character no part may contain; anything else on the
     * channel (a hand-made NOTIFY) is ignored.
     */
    static Optional<LockKey> keyOf(String payload) {
        String[] parts = payload.split("\u001f", -1);
        if (parts.length != 3) {
            LOG.log(Level.WARNING, "ignoring a release notification that names no lock key: {0}", payload);
            return Optional.empty();
        }
        return Optional.of(new LockKey(parts[0], parts[1], parts[2]));
    }

    private void pause() {
        try {
            Thread.sleep(RECONNECT_MILLIS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            running = false;
        }
    }

    @Override
    public void close() throws InterruptedException {
        running = false;
        thread.interrupt();
        thread.join(POLL_MILLIS * 4L);
    }
}
