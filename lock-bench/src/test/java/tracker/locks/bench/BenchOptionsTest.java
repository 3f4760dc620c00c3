package tracker.locks.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tracker.locks.bench.BenchOptions.Database;
import tracker.locks.bench.BenchOptions.Scenario;
import tracker.locks.bench.BenchOptions.Transport;
import tracker.locks.testkit.ServerProcess;

class BenchOptionsTest {

    private static BenchOptions parse(String... args) {
        return BenchOptions.parse(args, Map.of());
    }

    @Test
    void defaultsAreTheIssues() {
        BenchOptions options = parse();

        assertThat(options.databases()).containsExactly(Database.H2, Database.POSTGRES);
        assertThat(options.transports()).containsExactly(Transport.GRPC, Transport.REST);
        assertThat(options.scenarios()).containsExactly(Scenario.UNCONTENDED, Scenario.CONTENDED);
        assertThat(options.clients()).containsExactly(1, 8, 32);
        assertThat(options.warmup()).isEqualTo(Duration.ofSeconds(5));
        assertThat(options.duration()).isEqualTo(Duration.ofSeconds(10));
        assertThat(options.serverWarmup()).isEqualTo(Duration.ofMinutes(6));
        assertThat(options.poolSize()).isEqualTo(32);
        assertThat(options.serverHeap()).isEqualTo("512m");
        assertThat(options.serverJar()).isEqualTo(Path.of("lock-app/target/tracker.jar"));
        assertThat(options.serverJava()).as("the benchmark's own java").isEqualTo(ServerProcess.currentJava());
        assertThat(options.config()).isEqualTo(Path.of("config/tracker.yml"));
        assertThat(options.postgres()).isEmpty();
        assertThat(options.soak()).isEmpty();
        assertThat(options.faults()).isFalse();
        assertThat(options.faultInterval()).isEqualTo(Duration.ofSeconds(30));
        assertThat(options.cold()).isEqualTo(Duration.ofSeconds(15));
        assertThat(options.etcd()).isEqualTo(BenchOptions.ETCD_AUTO);
        assertThat(options.markdown()).isFalse();
        assertThat(options.help()).isFalse();
    }

    @Test
    void theEmbeddedPostgresIsDurableUnlessToldOtherwise() {
        assertThat(parse().embeddedPostgresSettings())
                .containsExactlyInAnyOrderEntriesOf(Map.of("fsync", "on", "synchronous_commit", "on"));
        assertThat(parse("--postgres-settings", "synchronous_commit=off,shared_buffers=256MB")
                .embeddedPostgresSettings())
                .containsExactlyInAnyOrderEntriesOf(
                        Map.of("fsync", "on", "synchronous_commit", "off", "shared_buffers", "256MB"));
    }

    @Test
    void coldStartsAndTheEtcdPeerAreChosen() {
        assertThat(parse("--cold", "0s").cold()).isZero();
        assertThat(parse("--cold", "20s").cold()).isEqualTo(Duration.ofSeconds(20));
        assertThat(parse("--etcd", "OFF").etcd()).isEqualTo(BenchOptions.ETCD_OFF);
        assertThat(parse("--etcd", "/opt/etcd/bin/etcd").etcd()).isEqualTo("/opt/etcd/bin/etcd");
        assertThatThrownBy(() -> parse("--etcd", " ")).hasMessageContaining("--etcd takes auto, off or the path");
        assertThatThrownBy(() -> parse("--cold", "soon")).hasMessageContaining("--cold must be a duration");
        assertThat(parse().waiters()).isEmpty();
        assertThat(parse("--waiters", "10000").waiters()).contains(10_000);
        assertThatThrownBy(() -> parse("--waiters", "0")).hasMessageContaining("--waiters must be a whole number");
    }

    @Test
    void everyOptionIsRead() {
        BenchOptions options = parse("--databases", "postgres", "--transports", "REST", "--scenarios", "contended",
                "--clients", "2, 4,4", "--warmup", "500ms", "--duration", "2m", "--server-warmup", "0s",
                "--server-jar", "x.jar", "--server-java", "/opt/jdk-25/bin/java", "--config", "c.yml",
                "--pool-size", "16", "--server-heap", "1g",
                "--server-java-opts", " -XX:+UseSerialGC  -Xss512k ", "--postgres-url", "jdbc:postgresql://db/t",
                "--postgres-user", "u", "--postgres-password", "p", "--soak", "60s", "--markdown");

        assertThat(options.databases()).containsExactly(Database.POSTGRES);
        assertThat(options.transports()).containsExactly(Transport.REST);
        assertThat(options.scenarios()).containsExactly(Scenario.CONTENDED);
        assertThat(options.clients()).containsExactly(2, 4);
        assertThat(options.warmup()).isEqualTo(Duration.ofMillis(500));
        assertThat(options.duration()).isEqualTo(Duration.ofMinutes(2));
        assertThat(options.serverWarmup()).isZero();
        assertThat(options.serverJar()).isEqualTo(Path.of("x.jar"));
        assertThat(options.serverJava()).isEqualTo(Path.of("/opt/jdk-25/bin/java"));
        assertThat(options.config()).isEqualTo(Path.of("c.yml"));
        assertThat(options.poolSize()).isEqualTo(16);
        assertThat(options.serverHeap()).isEqualTo("1g");
        assertThat(options.serverJavaOptions()).containsExactly("-XX:+UseSerialGC", "-Xss512k");
        assertThat(options.postgres()).contains(new BenchOptions.ExternalPostgres("jdbc:postgresql://db/t", "u", "p"));
        assertThat(options.soak()).contains(Duration.ofSeconds(60));
        assertThat(options.markdown()).isTrue();
    }

    @Test
    void faultsTurnTheSoakIntoAFaultSoak() {
        BenchOptions options = parse("--soak", "30m", "--faults");

        assertThat(options.soak()).contains(Duration.ofMinutes(30));
        assertThat(options.faults()).isTrue();
        assertThat(options.faultInterval()).isEqualTo(BenchOptions.FAULT_INTERVAL);
        assertThat(parse("--faults", "--soak", "3m", "--fault-interval", "20s").faultInterval())
                .isEqualTo(Duration.ofSeconds(20));
        assertThat(parse("--soak=2m", "--faults", "--fault-interval=1m").faultInterval())
                .isEqualTo(Duration.ofMinutes(1));
    }

    @Test
    void faultMistakesAreExplained() {
        assertThatThrownBy(() -> parse("--faults")).hasMessageContaining("--faults needs --soak");
        assertThatThrownBy(() -> parse("--soak", "3m", "--faults", "--fault-interval", "0s"))
                .hasMessageContaining("--fault-interval must be longer than zero");
        assertThatThrownBy(() -> parse("--soak", "3m", "--faults", "--fault-interval", "often"))
                .hasMessageContaining("--fault-interval must be a duration");
        assertThatThrownBy(() -> parse("--soak", "3m", "--fault-interval", "20s"))
                .hasMessageContaining("--fault-interval needs --faults");
        assertThatThrownBy(() -> parse("--soak", "50s", "--faults"))
                .hasMessageContaining("--soak 50s leaves no room for a fault every 30s")
                .hasMessageContaining("at least 1m");
        assertThatThrownBy(() -> parse("--soak", "3m", "--faults", "--postgres-url", "jdbc:postgresql://db/t"))
                .hasMessageContaining("--faults restarts the embedded PostgreSQL");
        assertThatThrownBy(() -> BenchOptions.parse(new String[]{"--soak", "3m", "--faults"},
                Map.of("DB_URL", "jdbc:postgresql://db:5432/tracker")))
                .hasMessageContaining("DB_URL");
        assertThatThrownBy(() -> parse("--soak", "3m", "--faults=yes"))
                .hasMessageContaining("--faults takes no value");
    }

    @Test
    void theUsageDocumentsTheFaultSoak() {
        assertThat(BenchOptions.USAGE).contains("--faults", "--fault-interval 30s");
    }

    @Test
    void valuesMayFollowAnEqualsSign() {
        BenchOptions options = parse("--clients=8", "--duration=3s");

        assertThat(options.clients()).containsExactly(8);
        assertThat(options.duration()).isEqualTo(Duration.ofSeconds(3));
    }

    @Test
    void helpNeedsNoValue() {
        assertThat(parse("--help").help()).isTrue();
        assertThat(parse("-h").help()).isTrue();
    }

    @Test
    void postgresComesFromTheEnvironmentWhenNotGiven() {
        Map<String, String> environment = Map.of("DB_URL", "jdbc:postgresql://db:5432/tracker", "DB_USER", "tracker",
                "DB_PASSWORD", "secret");

        assertThat(BenchOptions.parse(new String[0], environment).postgres())
                .contains(new BenchOptions.ExternalPostgres("jdbc:postgresql://db:5432/tracker", "tracker", "secret"));
        assertThat(BenchOptions.parse(new String[]{"--postgres-url", "jdbc:postgresql://other/x"}, environment)
                .postgres().orElseThrow().url()).isEqualTo("jdbc:postgresql://other/x");
        assertThat(BenchOptions.parse(new String[0], Map.of("DB_URL", "jdbc:h2:file:./data/tracker")).postgres())
                .isEmpty();
    }

    @Test
    void embeddedPostgresSettingsAreNameValuePairsInOrder() {
        assertThat(parse("--postgres-settings", "fsync=on, synchronous_commit=on").postgresSettings())
                .containsExactly(Map.entry("fsync", "on"), Map.entry("synchronous_commit", "on"));
        assertThatThrownBy(() -> parse("--postgres-settings", "fsync"))
                .hasMessageContaining("name=value");
        assertThatThrownBy(() -> parse("--postgres-url", "jdbc:postgresql://db/t", "--postgres-settings", "fsync=on"))
                .hasMessageContaining("embedded PostgreSQL only");
    }

    @Test
    void mistakesAreExplained() {
        assertThatThrownBy(() -> parse("--clients", "0")).hasMessageContaining("--clients");
        assertThatThrownBy(() -> parse("--clients", "a")).hasMessageContaining("--clients");
        assertThatThrownBy(() -> parse("--clients", ",")).hasMessageContaining("at least one value");
        assertThatThrownBy(() -> parse("--duration", "10 seconds")).hasMessageContaining("--duration");
        assertThatThrownBy(() -> parse("--duration", "0s")).hasMessageContaining("longer than zero");
        assertThatThrownBy(() -> parse("--databases", "mysql")).hasMessageContaining("h2, postgres");
        assertThatThrownBy(() -> parse("--transports", "soap")).hasMessageContaining("grpc, rest");
        assertThatThrownBy(() -> parse("--server-heap", "lots")).hasMessageContaining("--server-heap");
        assertThatThrownBy(() -> parse("--postgres-url", "jdbc:h2:mem:x")).hasMessageContaining("jdbc:postgresql:");
        assertThatThrownBy(() -> parse("--postgres-user", "u")).hasMessageContaining("need --postgres-url");
        assertThatThrownBy(() -> parse("--nope", "1")).hasMessageContaining("unknown option --nope");
        assertThatThrownBy(() -> parse("--duration")).hasMessageContaining("needs a value");
        assertThatThrownBy(() -> parse("stray")).hasMessageContaining("unexpected argument");
    }

    @Test
    void durationsAreReadAndWrittenInShortForm() {
        assertThat(BenchOptions.duration("--x", "7", false)).isEqualTo(Duration.ofSeconds(7));
        assertThat(BenchOptions.duration("--x", "0s", true)).isZero();
        for (String text : List.of("500ms", "5s", "2m", "1m30s", "0s")) {
            Duration parsed = text.equals("1m30s") ? Duration.ofSeconds(90) : BenchOptions.duration("--x", text, true);
            assertThat(BenchOptions.format(parsed)).isEqualTo(text);
        }
    }
}
