package tracker.locks.grpc;

import java.time.Duration;
import java.util.Objects;

/**
 * How {@link LockGrpcServer} listens and treats its connections; the app's configuration holds the defaults.
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
