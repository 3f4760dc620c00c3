package tracker.locks.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.dropwizard.testing.ConfigOverride;
import io.dropwizard.testing.DropwizardTestSupport;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.function.IntPredicate;
import tracker.locks.testkit.ServerProcess;

/** Starts the real server from the shipped {@code config/tracker.yml}, on free ports, on a database of the test's. */
final class TrackerServers {

    static final String CONFIG = Path.of("..", "config", "tracker.yml").toAbsolutePath().normalize().toString();

    private TrackerServers() {
    }

    static DropwizardTestSupport<TrackerConfiguration> on(String databaseUrl, ConfigOverride... more) {
        ConfigOverride[] overrides = new ConfigOverride[more.length + 5];
        overrides[0] = ConfigOverride.config("server.applicationConnectors[0].port", "0");
        overrides[1] = ConfigOverride.config("server.adminConnectors[0].port", "0");
        overrides[2] = ConfigOverride.config("database.url", databaseUrl);
        overrides[3] = ConfigOverride.config("logging.level", "WARN");
        overrides[4] = ConfigOverride.config("grpc.port", Integer.toString(freePort()));
        System.arraycopy(more, 0, overrides, 5, more.length);
        return new DropwizardTestSupport<>(TrackerApplication.class, CONFIG, overrides);
    }

    /** The gRPC port of a started server. */
    static int grpcPort(DropwizardTestSupport<TrackerConfiguration> server) {
        return server.getConfiguration().getGrpc().getPort();
    }

    private static int freePort() {
        try {
            return ServerProcess.freePort();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** How many clients wait for a held key on {@code server}, by its admin port's gauge. */
    static int waiting(DropwizardTestSupport<TrackerConfiguration> server) {
        return new Http(server.getAdminPort()).get("/metrics.json").json().get("gauges")
                .get(TrackerApplication.WAITING).get("value").asInt();
    }

    /** Waits, at most {@code bound}, until the number of clients waiting on {@code server} passes {@code expected}. */
    static void awaitWaiting(DropwizardTestSupport<TrackerConfiguration> server, IntPredicate expected,
                             Duration bound) throws InterruptedException {
        Instant deadline = Instant.now().plus(bound);
        while (!expected.test(waiting(server)) && Instant.now().isBefore(deadline)) {
            Thread.sleep(5); // polling the server's gauge with a bound
        }
        int waiting = waiting(server);
        assertThat(expected.test(waiting)).as("clients waiting: %d", waiting).isTrue();
    }

    static String h2File(Path directory) {
        return "jdbc:h2:file:" + directory.resolve("tracker").toAbsolutePath() + ";DB_CLOSE_ON_EXIT=FALSE";
    }
}
