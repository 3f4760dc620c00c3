package tracker.locks.persistence;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.SocketTimeoutException;
import java.sql.SQLException;
import org.jdbi.v3.core.ConnectionException;
import org.jdbi.v3.core.statement.UnableToExecuteStatementException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Which failures of an unavailable database may have let a change through, as the driver reports them. */
class SqlFailuresTest {

    @ParameterizedTest(name = "{0}: may have taken effect = {1}")
    @CsvSource({
        // The connection broke or fell silent after the statement was sent: it may have been committed.
        "08006, true",
        "57P01, true",
        "57P02, true",
        "90067, true",
        // Nothing was done: no connection, too many, not yet accepting, cancelled by the statement timeout.
        "08001, false",
        "08004, false",
        "53300, false",
        "57P03, false",
        "57014, false",
    })
    void aBrokenStatementMayHaveTakenEffectARefusedOneNot(String state, boolean mayHave) {
        UnableToExecuteStatementException failure = new UnableToExecuteStatementException(
                new SQLException("An I/O error occurred while sending to the backend.", state,
                        new SocketTimeoutException("Read timed out")), null);

        assertThat(SqlFailures.isUnavailable(failure)).isTrue();
        assertThat(SqlFailures.mayHaveTakenEffect(failure)).isEqualTo(mayHave);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"Timeout: Pool empty", "Connection refused"})
    void noConnectionFromThePoolDidNothing(String message) {
        ConnectionException failure = new ConnectionException(new SQLException(message));

        assertThat(SqlFailures.isUnavailable(failure)).isTrue();
        assertThat(SqlFailures.mayHaveTakenEffect(failure)).isFalse();
    }
}
