package tracker.locks.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class OptionsTest {

    @Test
    void optionsGoAnywhereBeforeTheCommandAndEverythingAfterDoubleDashIsTheCommands() throws UsageException {
        Options options = Options.parse(new String[] {"run", "--ttl", "2m", "deploy", "--wait=10s", "--",
            "./deploy.sh", "--ttl", "x"}, Map.of());

        assertThat(options.action).isEqualTo("run");
        assertThat(options.arguments).containsExactly("deploy");
        assertThat(options.ttl).isEqualTo(Duration.ofMinutes(2));
        assertThat(options.wait).isEqualTo(Duration.ofSeconds(10));
        assertThat(options.command).containsExactly("./deploy.sh", "--ttl", "x");
    }

    @Test
    void defaultsFollowTheEnvironmentAndTheGuide() throws UsageException {
        Options plain = Options.parse(new String[] {"list"}, Map.of());
        Options fromEnv = Options.parse(new String[] {"list"}, Map.of("TRACKER_URL", "http://tracker:8080",
                "TRACKER_TOKEN", "trk_x"));

        assertThat(plain.server).isEqualTo("http://localhost:8080");
        assertThat(plain.ttl).isEqualTo(Duration.ofSeconds(30));
        assertThat(plain.wait).isZero();
        assertThat(plain.killGrace).isEqualTo(Duration.ofSeconds(5));
        assertThat(plain.conflictExitCode).isEqualTo(75);
        assertThat(fromEnv.server).isEqualTo("http://tracker:8080");
        assertThat(fromEnv.token).isEqualTo("trk_x");
    }

    @ParameterizedTest
    @CsvSource({"500ms, 500", "30s, 30000", "30, 30000", "2m, 120000", "1h, 3600000", "0s, 0"})
    void durations(String text, long millis) throws UsageException {
        assertThat(Options.duration("--ttl", text)).isEqualTo(Duration.ofMillis(millis));
    }

    @Test
    void mistakesAreUsageErrorsNamingThem() {
        assertThatThrownBy(() -> Options.parse(new String[] {"run", "--ttl"}, Map.of()))
                .hasMessage("--ttl needs a value");
        assertThatThrownBy(() -> Options.parse(new String[] {"run", "--wait", "-5s", "x"}, Map.of()))
                .hasMessageContaining("--wait must be a duration");
        assertThatThrownBy(() -> Options.parse(new String[] {"run", "--conflict-exit-code", "300", "x"}, Map.of()))
                .hasMessageContaining("0 to 255");
        assertThatThrownBy(() -> Options.parse(new String[] {"--frob"}, Map.of())).hasMessage("unknown option --frob");
        assertThatThrownBy(() -> Options.parse(new String[] {}, Map.of())).hasMessage("no command given");
    }

    @Test
    void whoDefaultsFromTheCi() {
        assertThat(Who.of(Map.of("GITHUB_REPOSITORY", "acme/web", "GITHUB_RUN_ID", "7"))).isEqualTo("acme/web#7");
        assertThat(Who.of(Map.of("CI_PROJECT_PATH", "acme/api", "CI_JOB_ID", "12"))).isEqualTo("acme/api#12");
        assertThat(Who.of(Map.of("BUILD_TAG", "jenkins-deploy-42"))).isEqualTo("jenkins-deploy-42");
        assertThat(Who.of(Map.of("USER", "ana", "HOSTNAME", "build-3")))
                .isEqualTo("ana@build-3:" + ProcessHandle.current().pid());
    }
}
