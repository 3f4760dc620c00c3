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
    void limitAndSharedAreReadAnywhereBeforeTheCommand() throws UsageException {
        Options plain = Options.parse(new String[] {"run", "deploy", "--", "true"}, Map.of());
        Options semaphore = Options.parse(new String[] {"run", "--limit", "2", "deploy", "--", "true"}, Map.of());
        Options inline = Options.parse(new String[] {"acquire", "deploy", "--limit=1000"}, Map.of());
        Options shared = Options.parse(new String[] {"run", "orders-db", "--shared", "--", "./report.sh", "--shared"},
                Map.of());
        Options sharedOfOne = Options.parse(new String[] {"run", "--limit", "1", "--shared", "x", "--", "true"},
                Map.of());

        assertThat(plain.limit).isEqualTo(1);
        assertThat(plain.shared).isFalse();
        assertThat(semaphore.limit).isEqualTo(2);
        assertThat(inline.limit).isEqualTo(1000);
        assertThat(shared.shared).isTrue();
        assertThat(shared.command).containsExactly("./report.sh", "--shared");
        assertThat(sharedOfOne.shared).as("a limit of 1 is the default, so it goes with --shared").isTrue();
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {"0", "1001", "abc", "-1", "2.5", "99999999999", "' '"})
    void aLimitOutsideOneToAThousandIsAUsageErrorNamingIt(String limit) {
        assertThatThrownBy(() -> Options.parse(new String[] {"run", "--limit", limit, "deploy", "--", "true"},
                Map.of())).isInstanceOf(UsageException.class)
                .hasMessage("--limit must be a whole number from 1 to 1000, got " + limit);
    }

    @Test
    void sharedWithALimitAboveOneIsAUsageErrorWhicheverComesFirst() {
        assertThatThrownBy(() -> Options.parse(new String[] {"run", "--shared", "--limit", "2", "x", "--", "true"},
                Map.of())).isInstanceOf(UsageException.class).hasMessageStartingWith("--shared and --limit 2 do not go"
                        + " together");
        assertThatThrownBy(() -> Options.parse(new String[] {"run", "--limit=3", "x", "--shared", "--", "true"},
                Map.of())).isInstanceOf(UsageException.class).hasMessageStartingWith("--shared and --limit 3");
        assertThatThrownBy(() -> Options.parse(new String[] {"run", "x", "--limit"}, Map.of()))
                .hasMessage("--limit needs a value");
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
