package tracker.locks.grpc;

import io.grpc.Server;
import io.grpc.ServerInterceptors;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.protobuf.services.HealthStatusManager;
import io.grpc.protobuf.services.ProtoReflectionService;
import io.grpc.protobuf.services.ProtoReflectionServiceV1;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import tracker.lock.v1alpha1.LockServiceGrpc;
import tracker.locks.domain.port.in.LockGate;

/**
 * Owns the plaintext Netty gRPC server: LockService, the standard health service and server reflection.
 * A lifecycle owner (the app) calls {@link #start()}, {@link #setServing(boolean)} as its dependencies come and go,
 * and {@link #stop()}.
 *
 * <p>Health: NOT_SERVING until started, SERVING once started, then whatever {@link #setServing} says; from
 * {@link #stop()} on NOT_SERVING for good, so load balancers drain the server before it goes.
 */
public final class LockGrpcServer implements AutoCloseable {

    /** The health-check name of LockService; the overall server is the empty name. */
    public static final String LOCK_SERVICE_NAME = LockServiceGrpc.SERVICE_NAME;

    private static final String OVERALL = "";
    private static final System.Logger LOG = System.getLogger(LockGrpcServer.class.getName());

    private final Duration shutdownGracePeriod;
    private final HealthStatusManager health = new HealthStatusManager();
    private final ActiveCallsInterceptor activeCalls = new ActiveCallsInterceptor();
    private final WorkerHandOff workers = new WorkerHandOff();
    private final Server server;
    private final AtomicBoolean stopping = new AtomicBoolean();

    /**
     * @param transport           where and how to listen — address, message size, keep-alive — as the app's
     *                            configuration set it up; this class adds the services and sets the
     *                            executor: {@code directExecutor()}, LockService's methods on workers of
     *                            its own ({@link WorkerHandOff})
     * @param shutdownGracePeriod how long {@link #stop()} lets calls in flight finish
     */
    public LockGrpcServer(LockGate gate, NettyServerBuilder transport, Duration shutdownGracePeriod) {
        Objects.requireNonNull(gate, "gate");
        this.shutdownGracePeriod = Objects.requireNonNull(shutdownGracePeriod, "shutdownGracePeriod");
        // Health and reflection answer from memory, on the event loop; LockService's methods go to a worker once.
        this.server = transport
                .directExecutor()
                .addService(ServerInterceptors.intercept(LockGrpcService.definition(gate), activeCalls, workers))
                .addService(health.getHealthService())
                .addService(ProtoReflectionServiceV1.newInstance())
                .addService(deprecatedReflection())
                .build();
        setServing(false);
    }

    /** Binds the port and starts serving; health turns SERVING. */
    public void start() throws IOException {
        server.start();
        setServing(true);
        LOG.log(Level.INFO, "gRPC server listening on {0}", server.getListenSockets());
    }

    /** Reports SERVING or NOT_SERVING for the whole server and for LockService; ignored once stopping. */
    public void setServing(boolean serving) {
        ServingStatus status = serving ? ServingStatus.SERVING : ServingStatus.NOT_SERVING;
        health.setStatus(OVERALL, status);
        health.setStatus(LOCK_SERVICE_NAME, status);
    }

    /** How many LockService calls are in flight right now. */
    public int activeCalls() {
        return activeCalls.active();
    }

    /** The port bound, which differs from the configured one when that was 0. */
    public int port() {
        int port = server.getPort();
        if (port < 0) {
            throw new IllegalStateException("the gRPC server is not listening");
        }
        return port;
    }

    /**
     * Stops gracefully: refuses new calls, lets calls in flight finish within the grace period, then cancels what
     * is left. Returns when the server has terminated (or the thread is interrupted).
     */
    public void stop() {
        // Idempotent: a second caller (close() after stop(), say) just waits for the same termination.
        if (stopping.compareAndSet(false, true)) {
            health.enterTerminalState();
            server.shutdown();
        }
        try {
            if (!server.awaitTermination(shutdownGracePeriod.toMillis(), TimeUnit.MILLISECONDS)) {
                LOG.log(Level.WARNING, "gRPC calls still running after {0}; cancelling them",
                        shutdownGracePeriod);
                server.shutdownNow();
                // Cancelled calls end promptly; do not hang the app's shutdown on one that ignores it.
                server.awaitTermination(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException interrupted) {
            server.shutdownNow();
            Thread.currentThread().interrupt();
        } finally {
            workers.close();
        }
    }

    /** Same as {@link #stop()}. */
    @Override
    public void close() {
        stop();
    }


    // grpcurl and many other tools still ask grpc.reflection.v1alpha first (or only), so both versions are served.
    @SuppressWarnings("deprecation")
    private static io.grpc.BindableService deprecatedReflection() {
        return ProtoReflectionService.newInstance();
    }
}
