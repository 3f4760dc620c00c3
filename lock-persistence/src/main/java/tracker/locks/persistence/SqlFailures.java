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
