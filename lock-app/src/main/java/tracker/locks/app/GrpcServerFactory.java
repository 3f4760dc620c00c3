package tracker.locks.app;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.dropwizard.util.DataSize;
import io.dropwizard.util.Duration;
import io.dropwizard.validation.MinDataSize;
import io.dropwizard.validation.MinDuration;
import io.grpc.InsecureServerCredentials;
import io.grpc.ServerCredentials;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import java.net.InetSocketAddress;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import tracker.locks.domain.port.in.LockGate;
import tracker.locks.grpc.LockGrpcServer;

/**
 * The {@code grpc:} section of the configuration: where the gRPC server listens and how it treats connections, with
 * the defaults for a setting {@code config/tracker.yml} leaves out. Builds the server's transport, as Dropwizard's
 * own factories build Jetty's connectors, and hands it to {@link LockGrpcServer}, which adds the services.
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
     * A valid request is a few hundred bytes, the largest five strings of at most 255 characters (about 5 KiB in
     * UTF-8): 64 KiB leaves room and refuses the rest before it is parsed. gRPC's own default is 4 MiB.
     */
    @NotNull
    @MinDataSize(1)
    private DataSize maxInboundMessageSize = DataSize.kibibytes(64);

    /** Pinging silent connections finds clients that vanished without closing (a killed CI runner). */
    @NotNull
    @MinDuration(value = 1, unit = TimeUnit.SECONDS)
    private Duration keepAliveTime = Duration.minutes(5);

    @NotNull
    @MinDuration(value = 1, unit = TimeUnit.MILLISECONDS)
    private Duration keepAliveTimeout = Duration.seconds(20);

    /** gRPC's default (5 minutes) closes connections of clients that keep them warm every 30 s or so. */
    @NotNull
    @MinDuration(value = 0, unit = TimeUnit.MILLISECONDS)
    private Duration permitKeepAliveTime = Duration.seconds(30);

    @NotNull
    @MinDuration(value = 1, unit = TimeUnit.MILLISECONDS)
    private Duration maxConnectionIdle = Duration.minutes(15);

    @NotNull
    @MinDuration(value = 0, unit = TimeUnit.MILLISECONDS)
    private Duration shutdownGracePeriod = Duration.seconds(10);

    /** The gRPC server behind {@code gate}, not started yet; over TLS when {@code tls} is given. */
    LockGrpcServer build(LockGate gate, Optional<ServerCredentials> tls, io.grpc.ServerInterceptor... interceptors) {
        ServerCredentials credentials = tls.orElseGet(InsecureServerCredentials::create);
        NettyServerBuilder transport = bindsEveryInterface() ? NettyServerBuilder.forPort(port, credentials)
                : NettyServerBuilder.forAddress(new InetSocketAddress(host.strip(), port), credentials);
        transport.maxInboundMessageSize(Math.toIntExact(maxInboundMessageSize.toBytes()))
                .keepAliveTime(keepAliveTime.toMilliseconds(), TimeUnit.MILLISECONDS)
                .keepAliveTimeout(keepAliveTimeout.toMilliseconds(), TimeUnit.MILLISECONDS)
                .permitKeepAliveTime(permitKeepAliveTime.toMilliseconds(), TimeUnit.MILLISECONDS)
                .maxConnectionIdle(maxConnectionIdle.toMilliseconds(), TimeUnit.MILLISECONDS);
        if (tls.isPresent()) {
            transport.addTransportFilter(new UnfinishedHandshakeLog());
        }
        for (io.grpc.ServerInterceptor interceptor : interceptors) {
            transport.intercept(interceptor);
        }
        return new LockGrpcServer(gate, transport, shutdownGracePeriod.toJavaDuration());
    }

    /** A blank host: every interface. */
    boolean bindsEveryInterface() {
        return host == null || host.isBlank();
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
