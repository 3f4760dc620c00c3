package tracker.locks.grpc;

import java.time.Duration;
import java.util.Objects;

/**
 * How {@link LockGrpcServer} listens and treats its connections. {@link #defaults()} serves the contract's
 * port 8765 on every interface.
 *
 * @param host                  the address to bind; empty for every interface
 * @param port                  the TCP port; 0 picks a free one (tests)
 * @param maxInboundMessageSize the largest request accepted, in bytes; larger ones get RESOURCE_EXHAUSTED
 * @param keepAliveTime         how long a connection may stay silent before the server pings it
 * @param keepAliveTimeout      how long the server waits for the ping's answer before dropping the connection
 * @param permitKeepAliveTime   the most often a client may ping; more often and the server closes the connection
 * @param maxConnectionIdle     how long a connection with no call in flight is kept open
 * @param shutdownGracePeriod   how long {@link LockGrpcServer#stop()} lets calls in flight finish
 */
public record GrpcServerSettings(String host, int port, int maxInboundMessageSize, Duration keepAliveTime,
                                 Duration keepAliveTimeout, Duration permitKeepAliveTime,
                                 Duration maxConnectionIdle, Duration shutdownGracePeriod) {

    /** The contract's gRPC port. */
    public static final int DEFAULT_PORT = 8765;

    /**
     * The largest valid request is five strings of at most 255 characters (about 5 KiB in UTF-8); 64 KiB leaves
     * room and refuses the rest before it is parsed. gRPC's own default is 4 MiB.
     */
    public static final int DEFAULT_MAX_INBOUND_MESSAGE_SIZE = 64 * 1024;

    public GrpcServerSettings {
        host = host == null ? "" : host.strip();
        if (port < 0 || port > 65_535) {
            throw new IllegalArgumentException("port must be between 0 and 65535, got " + port);
        }
        if (maxInboundMessageSize < 1) {
            throw new IllegalArgumentException("maxInboundMessageSize must be positive, got " + maxInboundMessageSize);
        }
        requirePositive("keepAliveTime", keepAliveTime);
        requirePositive("keepAliveTimeout", keepAliveTimeout);
        requirePositive("permitKeepAliveTime", permitKeepAliveTime);
        requirePositive("maxConnectionIdle", maxConnectionIdle);
        Objects.requireNonNull(shutdownGracePeriod, "shutdownGracePeriod");
        if (shutdownGracePeriod.isNegative()) {
            throw new IllegalArgumentException("shutdownGracePeriod must not be negative, got " + shutdownGracePeriod);
        }
    }

    /** Port 8765 on every interface, 64 KiB requests, and connection timings suited to clients behind proxies. */
    public static GrpcServerSettings defaults() {
        return new GrpcServerSettings("", DEFAULT_PORT, DEFAULT_MAX_INBOUND_MESSAGE_SIZE,
                // Pinging silent connections finds clients that vanished without closing (a killed CI runner).
                Duration.ofMinutes(5),
                Duration.ofSeconds(20),
                // gRPC's default (5 minutes) closes connections of clients that keep them warm every 30 s or so.
                Duration.ofSeconds(30),
                Duration.ofMinutes(15),
                Duration.ofSeconds(10));
    }

    public GrpcServerSettings withHost(String newHost) {
        return new GrpcServerSettings(newHost, port, maxInboundMessageSize, keepAliveTime, keepAliveTimeout,
                permitKeepAliveTime, maxConnectionIdle, shutdownGracePeriod);
    }

    public GrpcServerSettings withPort(int newPort) {
        return new GrpcServerSettings(host, newPort, maxInboundMessageSize, keepAliveTime, keepAliveTimeout,
                permitKeepAliveTime, maxConnectionIdle, shutdownGracePeriod);
    }

    public GrpcServerSettings withShutdownGracePeriod(Duration newGracePeriod) {
        return new GrpcServerSettings(host, port, maxInboundMessageSize, keepAliveTime, keepAliveTimeout,
                permitKeepAliveTime, maxConnectionIdle, newGracePeriod);
    }

    /** Whether the server listens on every interface rather than on {@link #host()}. */
    public boolean bindsEveryInterface() {
        return host.isEmpty();
    }

    private static void requirePositive(String name, Duration value) {
        Objects.requireNonNull(value, name);
        if (value.isNegative() || value.isZero()) {
            throw new IllegalArgumentException(name + " must be positive, got " + value);
        }
    }
}
