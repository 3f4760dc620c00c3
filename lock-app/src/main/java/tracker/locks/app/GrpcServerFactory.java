package tracker.locks.app;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.dropwizard.util.DataSize;
import io.dropwizard.util.Duration;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import tracker.locks.domain.port.in.LockUseCases;
import tracker.locks.grpc.GrpcServerSettings;
import tracker.locks.grpc.LockGrpcServer;

/**
 * The {@code grpc:} section of the configuration, and the one place of its defaults: where the gRPC server listens
 * and how it treats connections. Builds the server, as Dropwizard's own factories build Jetty's connectors.
 */
public class GrpcServerFactory {

    /** The contract's gRPC port. */
    private static final int DEFAULT_PORT = 8765;

    @Min(0)
    @Max(65_535)
    private int port = DEFAULT_PORT;

    /** Empty: every interface. */
    private String host = "";

    /**
     * The largest valid request is five strings of at most 255 characters (about 5 KiB in UTF-8); 64 KiB leaves
     * room and refuses the rest before it is parsed. gRPC's own default is 4 MiB.
     */
    @NotNull
    private DataSize maxInboundMessageSize = DataSize.kibibytes(64);

    /** Pinging silent connections finds clients that vanished without closing (a killed CI runner). */
    @NotNull
    private Duration keepAliveTime = Duration.minutes(5);

    @NotNull
    private Duration keepAliveTimeout = Duration.seconds(20);

    /** gRPC's default (5 minutes) closes connections of clients that keep them warm every 30 s or so. */
    @NotNull
    private Duration permitKeepAliveTime = Duration.seconds(30);

    @NotNull
    private Duration maxConnectionIdle = Duration.minutes(15);

    @NotNull
    private Duration shutdownGracePeriod = Duration.seconds(10);

    /** The gRPC server over {@code locks}, not started yet. */
    LockGrpcServer build(LockUseCases locks) {
        return new LockGrpcServer(locks, new GrpcServerSettings(host, port,
                Math.toIntExact(maxInboundMessageSize.toBytes()), keepAliveTime.toJavaDuration(),
                keepAliveTimeout.toJavaDuration(), permitKeepAliveTime.toJavaDuration(),
                maxConnectionIdle.toJavaDuration(), shutdownGracePeriod.toJavaDuration()));
    }

    @JsonProperty
    public int getPort() {
        return port;
    }

    @JsonProperty
    public void setPort(int port) {
        this.port = port;
    }

    @JsonProperty
    public String getHost() {
        return host;
    }

    @JsonProperty
    public void setHost(String host) {
        this.host = host;
    }

    @JsonProperty
    public DataSize getMaxInboundMessageSize() {
        return maxInboundMessageSize;
    }

    @JsonProperty
    public void setMaxInboundMessageSize(DataSize maxInboundMessageSize) {
        this.maxInboundMessageSize = maxInboundMessageSize;
    }

    @JsonProperty
    public Duration getKeepAliveTime() {
        return keepAliveTime;
    }

    @JsonProperty
    public void setKeepAliveTime(Duration keepAliveTime) {
        this.keepAliveTime = keepAliveTime;
    }

    @JsonProperty
    public Duration getKeepAliveTimeout() {
        return keepAliveTimeout;
    }

    @JsonProperty
    public void setKeepAliveTimeout(Duration keepAliveTimeout) {
        this.keepAliveTimeout = keepAliveTimeout;
    }

    @JsonProperty
    public Duration getPermitKeepAliveTime() {
        return permitKeepAliveTime;
    }

    @JsonProperty
    public void setPermitKeepAliveTime(Duration permitKeepAliveTime) {
        this.permitKeepAliveTime = permitKeepAliveTime;
    }

    @JsonProperty
    public Duration getMaxConnectionIdle() {
        return maxConnectionIdle;
    }

    @JsonProperty
    public void setMaxConnectionIdle(Duration maxConnectionIdle) {
        this.maxConnectionIdle = maxConnectionIdle;
    }

    @JsonProperty
    public Duration getShutdownGracePeriod() {
        return shutdownGracePeriod;
    }

    @JsonProperty
    public void setShutdownGracePeriod(Duration shutdownGracePeriod) {
        this.shutdownGracePeriod = shutdownGracePeriod;
    }
}
