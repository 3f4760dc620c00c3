package tracker.locks.app;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.dropwizard.util.DataSize;
import io.dropwizard.util.Duration;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import tracker.locks.grpc.GrpcServerSettings;

/** The {@code grpc:} section of the configuration: where the gRPC server listens and how it treats connections. */
public class GrpcConfiguration {

    private static final GrpcServerSettings DEFAULTS = GrpcServerSettings.defaults();

    @Min(0)
    @Max(65_535)
    private int port = GrpcServerSettings.DEFAULT_PORT;

    /** Empty: every interface. */
    private String host = "";

    @NotNull
    private DataSize maxInboundMessageSize = DataSize.bytes(GrpcServerSettings.DEFAULT_MAX_INBOUND_MESSAGE_SIZE);

    @NotNull
    private Duration keepAliveTime = Duration.milliseconds(DEFAULTS.keepAliveTime().toMillis());

    @NotNull
    private Duration keepAliveTimeout = Duration.milliseconds(DEFAULTS.keepAliveTimeout().toMillis());

    @NotNull
    private Duration permitKeepAliveTime = Duration.milliseconds(DEFAULTS.permitKeepAliveTime().toMillis());

    @NotNull
    private Duration maxConnectionIdle = Duration.milliseconds(DEFAULTS.maxConnectionIdle().toMillis());

    @NotNull
    private Duration shutdownGracePeriod = Duration.milliseconds(DEFAULTS.shutdownGracePeriod().toMillis());

    /** The settings the gRPC adapter understands. */
    GrpcServerSettings settings() {
        return new GrpcServerSettings(host, port, Math.toIntExact(maxInboundMessageSize.toBytes()),
                keepAliveTime.toJavaDuration(), keepAliveTimeout.toJavaDuration(),
                permitKeepAliveTime.toJavaDuration(), maxConnectionIdle.toJavaDuration(),
                shutdownGracePeriod.toJavaDuration());
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
