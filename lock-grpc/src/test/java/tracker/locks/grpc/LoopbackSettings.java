package tracker.locks.grpc;

import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/** A server transport for tests: a free port on the loopback interface, with the production limits and timings. */
final class LoopbackSettings {

    static final int MAX_INBOUND_MESSAGE_SIZE = 64 * 1024;
    static final Duration SHUTDOWN_GRACE_PERIOD = Duration.ofSeconds(10);

    private LoopbackSettings() {
    }

    /** A new one each time: a builder serves one server. */
    static NettyServerBuilder loopback() {
        return NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0))
                .maxInboundMessageSize(MAX_INBOUND_MESSAGE_SIZE)
                .keepAliveTime(5, TimeUnit.MINUTES)
                .keepAliveTimeout(20, TimeUnit.SECONDS)
                .permitKeepAliveTime(30, TimeUnit.SECONDS)
                .maxConnectionIdle(15, TimeUnit.MINUTES);
    }
}
