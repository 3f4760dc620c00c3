package tracker.locks.app;

import io.dropwizard.testing.ConfigOverride;
import io.dropwizard.testing.DropwizardTestSupport;
import java.nio.file.Path;

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

    static String h2File(Path directory) {
        return "jdbc:h2:file:" + directory.resolve("tracker").toAbsolutePath() + ";DB_CLOSE_ON_EXIT=FALSE";
    }
}
