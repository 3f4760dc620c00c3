package tracker.locks.grpc;

import java.time.Duration;

/** Server settings for tests: a free port on the loopback interface, with the production timings. */
final class LoopbackSettings {

    private LoopbackSettings() {
    }

    static GrpcServerSettings loopback() {
        return loopback(Duration.ofSeconds(10));
    }

    static GrpcServerSettings loopback(Duration shutdownGracePeriod) {
        return on("127.0.0.1", 0, shutdownGracePeriod);
    }

    static GrpcServerSettings on(String host, int port, Duration shutdownGracePeriod) {
        return new GrpcServerSettings(host, port, 64 * 1024, Duration.ofMinutes(5), Duration.ofSeconds(20),
                Duration.ofSeconds(30), Duration.ofMinutes(15), shutdownGracePeriod);
    }
}
