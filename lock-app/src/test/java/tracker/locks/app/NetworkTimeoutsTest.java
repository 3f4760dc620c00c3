package tracker.locks.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class NetworkTimeoutsTest {

    private static final Duration FIVE_SECONDS = Duration.ofSeconds(5);

    @Test
    void aPostgresUrlWithoutTimeoutsGetsBoth() {
        assertThat(NetworkTimeouts.complete("jdbc:postgresql://db:5432/tracker", FIVE_SECONDS))
                .isEqualTo("jdbc:postgresql://db:5432/tracker?connectTimeout=3&loginTimeout=5&socketTimeout=7");
    }

    @Test
    void theSocketTimeoutFollowsTheStatementTimeout() {
        assertThat(NetworkTimeouts.complete("jdbc:postgresql://db/tracker", Duration.ofSeconds(30)))
                .endsWith("socketTimeout=32");
    }

    @Test
    void optionsOfTheUrlAreKeptAndItsOwnTimeoutsWin() {
        String url = "jdbc:postgresql://a:5432,b:5432/tracker?targetServerType=primary&socketTimeout=60";

        assertThat(NetworkTimeouts.complete(url, FIVE_SECONDS)).isEqualTo(url + "&connectTimeout=3&loginTimeout=5");
        assertThat(NetworkTimeouts.complete("jdbc:postgresql://db/t?connectTimeout=1", FIVE_SECONDS))
                .isEqualTo("jdbc:postgresql://db/t?connectTimeout=1&loginTimeout=5&socketTimeout=7");
    }

    @Test
    void anH2UrlIsLeftAsItIs() {
        String url = "jdbc:h2:file:./data/tracker;DB_CLOSE_ON_EXIT=FALSE";

        assertThat(NetworkTimeouts.complete(url, FIVE_SECONDS)).isEqualTo(url);
    }
}
