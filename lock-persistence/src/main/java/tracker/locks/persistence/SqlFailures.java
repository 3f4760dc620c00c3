package tracker.locks.persistence;

import java.sql.SQLException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLTimeoutException;
import java.sql.SQLTransientConnectionException;
import java.util.Set;
import org.jdbi.v3.core.ConnectionException;

/** Tells database failures apart by what they mean for a caller, the same way on H2 and PostgreSQL. */
final class SqlFailures {

    private static final String UNIQUE_VIOLATION = "23505";
    private static final String DEADLOCK_DETECTED = "40P01";

    /**
     * States that mean "the database is not there or not answering", as opposed to a bad statement: PostgreSQL's
     * admin shutdown, crash shutdown, cannot-connect-now, too many connections and statement timeout, and H2's
     * connection-broken and database-closed.
     */
    private static final Set<String> UNAVAILABLE_STATES =
            Set.of("57P01", "57P02", "57P03", "53300", "57014", "90067", "90098", "90121");

    private SqlFailures() {
    }

    static boolean isUniqueViolation(Throwable failure) {
        return hasState(failure, UNIQUE_VIOLATION);
    }

    /** The database broke a cycle of statements waiting for each other's rows by failing this one. */
    static boolean isDeadlock(Throwable failure) {
        return hasState(failure, DEADLOCK_DETECTED);
    }

    private static boolean hasState(Throwable failure, String state) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof SQLException sql && state.equals(sql.getSQLState())) {
                return true;
            }
        }
        return false;
    }

    /**
     * States of an unavailable store in which the statement certainly did nothing: it could not connect (08001,
     * 08004), too many connections (53300), not accepting connections yet (57P03), or the statement timeout
     * cancelled it, which rolls it back (57014; PostgreSQL stops the timeout before it commits).
     */
    private static final Set<String> NOTHING_DONE_STATES = Set.of("08001", "08004", "53300", "57P03", "57014");

    /**
     * Whether a failure that {@link #isUnavailable} may have come after the statement reached the database, so that
     * it may have been committed: a connection that broke or went silent in the middle (08006, a socket timeout),
     * a server shut down or crashed under it. Only failures known to have done nothing are excluded: no connection
     * from the pool (Jdbi's {@link ConnectionException}), and {@link #NOTHING_DONE_STATES}.
     */
    static boolean mayHaveTakenEffect(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof ConnectionException || t instanceof SQLTransientConnectionException
                    || t instanceof SQLException sql && NOTHING_DONE_STATES.contains(sql.getSQLState())) {
                return false;
            }
        }
        return true;
    }

    static boolean isUnavailable(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof ConnectionException
                    || t instanceof SQLTransientConnectionException
                    || t instanceof SQLNonTransientConnectionException
                    || t instanceof SQLTimeoutException) {
                return true;
            }
            if (t instanceof SQLException sql && sql.getSQLState() != null
                    && (sql.getSQLState().startsWith("08") || UNAVAILABLE_STATES.contains(sql.getSQLState()))) {
                return true;
            }
        }
        return false;
    }
}
