package tracker.locks.grpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.google.common.util.concurrent.ListenableFuture;
import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.health.v1.HealthGrpc;
import io.grpc.reflection.v1.ServerReflectionGrpc;
import io.grpc.reflection.v1.ServerReflectionRequest;
import io.grpc.reflection.v1.ServerReflectionResponse;
import io.grpc.stub.StreamObserver;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import tracker.lock.v1alpha1.CreateLockRequest;
import tracker.lock.v1alpha1.GetLockRequest;
import tracker.lock.v1alpha1.GetLockResponse;
import tracker.lock.v1alpha1.Lock;
import tracker.lock.v1alpha1.LockServiceGrpc;
import tracker.lock.v1alpha1.UnLockRequest;
import tracker.locks.domain.model.LockId;
import tracker.locks.domain.model.LockKey;
import tracker.locks.domain.port.in.LockGate;
import tracker.locks.domain.port.in.LockUseCases;
import tracker.locks.domain.service.LockService;
import tracker.locks.domain.testing.FailingLockUseCases;
import tracker.locks.domain.testing.LockServices;

/** The real Netty server on a loopback socket: what grpcurl, health probes and the app's lifecycle see. */
class LockGrpcServerTest {

    private static final String SERVICE = "tracker.lock.v1alpha1.LockService";

    private final List<AutoCloseable> toClose = new ArrayList<>();

    @AfterEach
    void closeAll() throws Exception {
        for (int i = toClose.size() - 1; i >= 0; i--) {
            toClose.get(i).close();
        }
    }

    @Test
    void servesLockServiceOnItsPort() {
        LockGrpcServer server = started(LockServices.inMemory());
        LockServiceGrpc.LockServiceBlockingStub locks = LockServiceGrpc.newBlockingStub(channelTo(server));

        Lock lock = locks.createLock(CreateLockRequest.newBuilder().setService("deploy").setWho("ci").build())
                .getLock();

        assertThat(server.port()).isPositive();
        assertThat(locks.getLock(GetLockRequest.newBuilder().setId(lock.getId()).build()).getLock()).isEqualTo(lock);
        assertThat(locks.unLock(UnLockRequest.newBuilder().setId(lock.getId()).build()).getCount()).isEqualTo(1);
    }

    @Test
    void serverReflectionV1ListsLockServiceAndDescribesIt() throws Exception {
        ManagedChannel channel = channelTo(started(new BlockingLockUseCases()));

        assertThat(reflectV1(channel, ServerReflectionRequest.newBuilder().setListServices("").build())
                .getListServicesResponse().getServiceList())
                .extracting(service -> service.getName())
                .contains(SERVICE, "grpc.health.v1.Health");
        // grpcurl decodes the ALREADY_EXISTS detail through reflection: LockHeld must be resolvable too.
        assertThat(reflectV1(channel, ServerReflectionRequest.newBuilder()
                .setFileContainingSymbol("tracker.lock.v1alpha1.LockHeld").build())
                .getFileDescriptorResponse().getFileDescriptorProtoCount()).isPositive();
    }

    @Test
    @SuppressWarnings("deprecation")
    void serverReflectionV1AlphaListsLockService() throws Exception {
        ManagedChannel channel = channelTo(started(new BlockingLockUseCases()));

        CompletableFuture<io.grpc.reflection.v1alpha.ServerReflectionResponse> answer = new CompletableFuture<>();
        StreamObserver<io.grpc.reflection.v1alpha.ServerReflectionRequest> requests =
                io.grpc.reflection.v1alpha.ServerReflectionGrpc.newStub(channel).serverReflectionInfo(firstOf(answer));
        requests.onNext(io.grpc.reflection.v1alpha.ServerReflectionRequest.newBuilder().setListServices("").build());
        requests.onCompleted();

        assertThat(answer.get(5, TimeUnit.SECONDS).getListServicesResponse().getServiceList())
                .extracting(service -> service.getName())
                .contains(SERVICE);
    }

    @Test
    void healthFollowsSetServing() {
        LockGrpcServer server = started(new BlockingLockUseCases());
        HealthGrpc.HealthBlockingStub health = HealthGrpc.newBlockingStub(channelTo(server));

        assertThat(health(health, "")).isEqualTo(ServingStatus.SERVING);
        assertThat(health(health, SERVICE)).isEqualTo(ServingStatus.SERVING);

        server.setServing(false);
        assertThat(health(health, "")).isEqualTo(ServingStatus.NOT_SERVING);
        assertThat(health(health, SERVICE)).isEqualTo(ServingStatus.NOT_SERVING);

        server.setServing(true);
        assertThat(health(health, "")).isEqualTo(ServingStatus.SERVING);
        assertThat(health(health, SERVICE)).isEqualTo(ServingStatus.SERVING);
    }

    @Test
    void aRequestLargerThanTheLimitIsRefusedBeforeItIsRead() {
        LockGrpcServer server = started(new BlockingLockUseCases());

        StatusRuntimeException e = catchThrowableOfType(StatusRuntimeException.class, () ->
                LockServiceGrpc.newBlockingStub(channelTo(server)).createLock(CreateLockRequest.newBuilder()
                        .setService("deploy").setWho("w".repeat(LoopbackSettings.MAX_INBOUND_MESSAGE_SIZE))
                        .build()));

        assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
    }

    @Test
    void stopLetsACallInFlightFinishAndRefusesNewOnes() throws Exception {
        BlockingLockUseCases useCases = new BlockingLockUseCases();
        LockGrpcServer server = started(useCases, Duration.ofSeconds(10));
        ManagedChannel channel = channelTo(server);
        HealthGrpc.HealthBlockingStub health = HealthGrpc.newBlockingStub(channel);
        ListenableFuture<GetLockResponse> inFlight = LockServiceGrpc.newFutureStub(channel)
                .getLock(GetLockRequest.newBuilder().setId("in-flight").build());
        assertThat(useCases.entered.await(5, TimeUnit.SECONDS)).isTrue();

        CompletableFuture<Void> stopping = CompletableFuture.runAsync(server::stop);

        awaitRefused(() -> health.check(HealthCheckRequest.getDefaultInstance()));
        assertThat(stopping).isNotDone();
        useCases.release.countDown();
        assertThat(inFlight.get(5, TimeUnit.SECONDS).getLock().getWho()).isEqualTo("in-flight-holder");
        stopping.get(5, TimeUnit.SECONDS);
    }

    @Test
    void countsTheLockServiceCallsInFlight() throws Exception {
        BlockingLockUseCases useCases = new BlockingLockUseCases();
        LockGrpcServer server = started(useCases);
        toClose.add(useCases.release::countDown);
        ManagedChannel channel = channelTo(server);
        assertThat(server.activeCalls()).isZero();

        ListenableFuture<GetLockResponse> inFlight = LockServiceGrpc.newFutureStub(channel)
                .getLock(GetLockRequest.newBuilder().setId("in-flight").build());
        assertThat(useCases.entered.await(5, TimeUnit.SECONDS)).isTrue();
        HealthGrpc.newBlockingStub(channel).check(HealthCheckRequest.getDefaultInstance());

        assertThat(server.activeCalls()).as("the blocked call; health checks are not lock calls").isEqualTo(1);
        useCases.release.countDown();
        inFlight.get(5, TimeUnit.SECONDS);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (server.activeCalls() != 0 && System.nanoTime() < deadline) {
            Thread.sleep(5); // the server completes the call just after the client has its answer
        }
        assertThat(server.activeCalls()).isZero();
    }

    @Test
    void callsWaitingOnTheDatabaseDoNotHoldUpOthersOnTheSameConnection() throws Exception {
        // More blocked calls than Netty has event-loop threads (two per core): they must each have a worker.
        int calls = 2 * Runtime.getRuntime().availableProcessors() + 2;
        BlockingLockUseCases useCases = new BlockingLockUseCases(calls);
        LockGrpcServer server = started(useCases);
        toClose.add(useCases.release::countDown);
        LockServiceGrpc.LockServiceFutureStub locks = LockServiceGrpc.newFutureStub(channelTo(server));

        List<ListenableFuture<GetLockResponse>> inFlight = new ArrayList<>();
        for (int i = 0; i < calls; i++) {
            inFlight.add(locks.getLock(GetLockRequest.newBuilder().setId("call-" + i).build()));
        }

        assertThat(useCases.entered.await(5, TimeUnit.SECONDS)).as("every call in its use case at once").isTrue();
        useCases.release.countDown();
        for (int i = 0; i < calls; i++) {
            assertThat(inFlight.get(i).get(5, TimeUnit.SECONDS).getLock().getWho()).isEqualTo("call-" + i + "-holder");
        }
    }

    @Test
    void stopCancelsCallsStillRunningAfterTheGracePeriod() throws Exception {
        BlockingLockUseCases useCases = new BlockingLockUseCases();
        LockGrpcServer server = started(useCases, Duration.ofMillis(200));
        toClose.add(useCases.release::countDown);
        ListenableFuture<GetLockResponse> stuck = LockServiceGrpc.newFutureStub(channelTo(server))
                .getLock(GetLockRequest.newBuilder().setId("stuck").build());
        assertThat(useCases.entered.await(5, TimeUnit.SECONDS)).isTrue();

        long started = System.nanoTime();
        server.stop();

        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(5));
        ExecutionException failure = catchThrowableOfType(ExecutionException.class,
                () -> stuck.get(5, TimeUnit.SECONDS));
        assertThat(Status.fromThrowable(failure.getCause()).getCode())
                .isIn(Status.Code.UNAVAILABLE, Status.Code.CANCELLED);
    }

    @Test
    void stopBeforeStartDoesNothingHarmful() {
        LockGrpcServer server = new LockGrpcServer(anyone(new BlockingLockUseCases()), LoopbackSettings.loopback(),
                LoopbackSettings.SHUTDOWN_GRACE_PERIOD);

        server.stop();
    }

    // helpers

    private LockGrpcServer started(LockUseCases useCases) {
        return started(useCases, LoopbackSettings.SHUTDOWN_GRACE_PERIOD);
    }

    private LockGrpcServer started(LockUseCases useCases, Duration shutdownGracePeriod) {
        LockGrpcServer server = new LockGrpcServer(anyone(useCases), LoopbackSettings.loopback(), shutdownGracePeriod);
        try {
            server.start();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        toClose.add(server);
        return server;
    }

    private ManagedChannel channelTo(LockGrpcServer server) {
        ManagedChannel channel = Grpc.newChannelBuilderForAddress("127.0.0.1", server.port(),
                InsecureChannelCredentials.create()).build();
        toClose.add(() -> {
            channel.shutdownNow();
            channel.awaitTermination(5, TimeUnit.SECONDS);
        });
        return channel;
    }

    /** Authentication off: every call may use {@code locks}. */
    private static LockGate anyone(LockUseCases locks) {
        return (token, client) -> locks;
    }

    private static ServingStatus health(HealthGrpc.HealthBlockingStub health, String service) {
        return health.withDeadlineAfter(5, TimeUnit.SECONDS)
                .check(HealthCheckRequest.newBuilder().setService(service).build()).getStatus();
    }

    private static ServerReflectionResponse reflectV1(ManagedChannel channel, ServerReflectionRequest request)
            throws Exception {
        CompletableFuture<ServerReflectionResponse> answer = new CompletableFuture<>();
        StreamObserver<ServerReflectionRequest> requests =
                ServerReflectionGrpc.newStub(channel).serverReflectionInfo(firstOf(answer));
        requests.onNext(request);
        requests.onCompleted();
        return answer.get(5, TimeUnit.SECONDS);
    }

    /** Completes {@code answer} with the stream's first message, or its error. */
    private static <T> StreamObserver<T> firstOf(CompletableFuture<T> answer) {
        return new StreamObserver<>() {
            @Override
            public void onNext(T value) {
                answer.complete(value);
            }

            @Override
            public void onError(Throwable t) {
                answer.completeExceptionally(t);
            }

            @Override
            public void onCompleted() {
                answer.completeExceptionally(new IllegalStateException("the stream ended without an answer"));
            }
        };
    }

    /** Calls until the server refuses: shutdown() takes effect asynchronously. */
    private static void awaitRefused(Runnable call) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (System.nanoTime() < deadline) {
            try {
                call.run();
            } catch (StatusRuntimeException refused) {
                assertThat(refused.getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE);
                return;
            }
            Thread.sleep(20);
        }
        throw new AssertionError("new calls were still accepted 5 s after stop()");
    }

    /** Answers every get after a latch opens, so a test can hold a call in flight; everything else is unused. */
    private static final class BlockingLockUseCases extends FailingLockUseCases {

        /** Nobody waits: GetLock also asks how many wait for the lock's key. */
        @Override
        public java.util.List<tracker.locks.domain.model.WaitingClient> queue(
                tracker.locks.domain.model.QueueFilter filter) {
            return java.util.List.of();
        }

        final CountDownLatch entered;
        final CountDownLatch release = new CountDownLatch(1);

        BlockingLockUseCases() {
            this(1);
        }

        /** {@link #entered} opens once {@code calls} gets are blocked at once. */
        BlockingLockUseCases(int calls) {
            this.entered = new CountDownLatch(calls);
        }

        @Override
        public tracker.locks.domain.model.Lock get(String id) {
            entered.countDown();
            try {
                release.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return new tracker.locks.domain.model.Lock(new LockId(UUID.randomUUID()), LockKey.ofService("deploy"),
                    id + "-holder", Instant.parse("2024-01-15T10:00:00Z"), null, null, 1);
        }

    }
}
