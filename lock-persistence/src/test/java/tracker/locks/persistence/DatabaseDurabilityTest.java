package tracker.locks.persistence;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DatabaseDurabilityTest {

    @TempDir
    Path directory;

    @Test
    void anH2UrlIsGivenTheSettingThatWritesEachCommitBeforeItReturns() {
        assertThat(DatabaseDurability.durableUrl("jdbc:h2:file:./data/tracker;DB_CLOSE_ON_EXIT=FALSE"))
                .isEqualTo("jdbc:h2:file:./data/tracker;DB_CLOSE_ON_EXIT=FALSE;WRITE_DELAY=0");
        assertThat(DatabaseDurability.durableUrl("jdbc:h2:file:./x;write_delay=100"))
                .as("a delay the user chose is kept (and warned about)").isEqualTo("jdbc:h2:file:./x;write_delay=100");
        assertThat(DatabaseDurability.durableUrl("jdbc:postgresql://db:5432/tracker"))
                .isEqualTo("jdbc:postgresql://db:5432/tracker");
    }

    @Test
    void h2WithCommitsWrittenAtOnceGivesNoWarning() {
        String url = DatabaseDurability.durableUrl("jdbc:h2:file:" + directory.resolve("on") + ";DB_CLOSE_ON_EXIT=FALSE");

        assertThat(DatabaseDurability.check(TestDataSources.h2Url(url), SqlDialect.H2)).isEmpty();
    }

    @Test
    void h2WithAWriteDelayIsWarnedAbout() {
        Optional<String> warning = DatabaseDurability.check(
                TestDataSources.h2Url("jdbc:h2:file:" + directory.resolve("delayed") + ";WRITE_DELAY=500"),
                SqlDialect.H2);

        assertThat(warning).hasValueSatisfying(text -> assertThat(text).contains("WRITE_DELAY=500")
                .contains("may not survive a crash"));
    }

    @Test
    void postgresWithoutFsyncOrSynchronousCommitIsWarnedAbout() {
        // The tests' shared PostgreSQL runs with both off, for speed.
        Optional<String> warning = DatabaseDurability.check(TestDataSources.postgres(), SqlDialect.POSTGRESQL);

        assertThat(warning).hasValue("PostgreSQL runs with fsync=off, synchronous_commit=off: locks this server"
                + " acknowledges would not survive a crash of the database (see README, \"When things fail\")");
    }
}
