package tracker.locks.domain.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class ServicePatternsTest {

    @Test
    void anAsteriskStandsForAnyRunOfCharactersAndEverythingElseForItself() {
        ServicePatterns patterns = new ServicePatterns(List.of("deploy-*", "db-migration", "*-nightly", "a.b"));

        assertThat(patterns.matches("deploy-web")).isTrue();
        assertThat(patterns.matches("deploy-")).isTrue();
        assertThat(patterns.matches("deployer")).isFalse();
        assertThat(patterns.matches("db-migration")).isTrue();
        assertThat(patterns.matches("db-migration-2")).isFalse();
        assertThat(patterns.matches("report-nightly")).isTrue();
        assertThat(patterns.matches("a.b")).isTrue();
        assertThat(patterns.matches("axb")).as("a dot is a dot, not a regular expression").isFalse();
    }

    @Test
    void noPatternsMeansEveryService() {
        assertThat(ServicePatterns.ALL.matches("anything at all")).isTrue();
        assertThat(new ServicePatterns(List.of("*")).matches("")).isTrue();
    }

    @Test
    void aBlankPatternIsRefused() {
        assertThatThrownBy(() -> new ServicePatterns(List.of(" "))).isInstanceOf(IllegalArgumentException.class);
    }
}
