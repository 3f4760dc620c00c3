package tracker.locks.grpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.google.common.util.concurrent.ListenableFuture;
import io.grpc.Context;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import tracker.lock.v1alpha1.GetLockRequest;
import tracker.lock.v1alpha1.GetLockResponse;
import tracker.locks.domain.model.Lock;
import tracker.locks.domain.model.LockId;
import tracker.locks.domain.model.LockKey;
import tracker.locks.domain.testing.FailingLockUseCases;

class CancelledCallInterceptorTest {

    private final List<String> events = new CopyOnWriteArrayList<>();
    private final ServerCall.Listener<String> guarded = new CancelledCallInterceptor()
            .interceptCall(new NoOpServerCall(), new Metadata(), (call, headers) -> new ServerCall.Listener<>() {
                @Override
                public void onMessage(String message) {
                    events.add("message " + message);
                }

                @Override
                public void onHalfClose() {
                    events.add("half-close");
                }

                @Override
                public void onCancel() {
                    events.add("cancel");
                }
            });

    @Test
    void aLiveCallReachesTheService() {
        Context.current().withCancellation().run(() -> {
            guarded.onMessage("request");
            guarded.onHalfClose();
        });

        assertThat(events).containsExactly("message request", "half-close");
    }

    @Test
    void aCallCancelledBeforeItsCallbacksRunNeverReachesTheService() {
        // The window the interceptor closes: gRPC has queued the request and the half-close on a busy executor,
        // then the deadline passes. gRPC cancels the context at once but would still run the queued callbacks.
        Context.CancellableContext expired = Context.current().withCancellation();
        expired.cancel(Status.DEADLINE_EXCEEDED.asRuntimeException());

        expired.run(() -> {
            guarded.onMessage("request");
            guarded.onHalfClose();
            guarded.onCancel();
        });

        assertThat(events).containsExactly("cancel");
    }

    /** End to end; when the call had not even started, gRPC's flow control alone already keeps its request back. */
    @Test
    void aCallWhoseDeadlinePassedWhileQueuedNeverReachesTheUseCases() throws Exception {
        RecordingLockUseCases useCases = new RecordingLockUseCases();
        // One server thread: the second call queues behind the first, which holds the thread until released.
        ExecutorService serverThread = Executors.newSingleThreadExecutor();
        try (InProcessLockServer server = InProcessLockServer.on(useCases, serverThread)) {
            ListenableFuture<GetLockResponse> first = server.futureStub().getLock(request("first"));
            assertThat(useCases.entered.await(5, TimeUnit.SECONDS)).isTrue();

            StatusRuntimeException late = catchThrowableOfType(StatusRuntimeException.class, () ->
                    server.blockingStub().withDeadlineAfter(100, TimeUnit.MILLISECONDS).getLock(request("second")));
            useCases.release.countDown();

            assertThat(late.getStatus().getCode()).isEqualTo(Status.Code.DEADLINE_EXCEEDED);
            assertThat(first.get(5, TimeUnit.SECONDS).getLock().getWho()).isEqualTo("first-holder");
        } finally {
            serverThread.shutdown();
            assertThat(serverThread.awaitTermination(5, TimeUnit.SECONDS)).isTrue();
        }
        assertThat(useCases.calls).containsExactly("first");
    }

    private static GetLockRequest request(String id) {
        return GetLockRequest.newBuilder().setId(id).build();
    }

    /** Records each get; the first one holds its thread until released. */
    private static final class RecordingLockUseCases extends FailingLockUseCases {

        /** Nobody waits: GetLock also asks how many wait for the lock's key. */
        @Override
        public java.util.List<tracker.locks.domain.model.WaitingClient> queue(
                tracker.locks.domain.model.QueueFilter filter) {
            return java.util.List.of();
        }

        final List<String> calls = new CopyOnWriteArrayList<>();
        final CountDownLatch entered = new CountDownLatch(1);
        final CountDownLatch release = new CountDownLatch(1);

        @Override
        public Lock get(String id) {
            calls.add(id);
            entered.countDown();
            try {
                release.await(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return new Lock(new LockId(UUID.randomUUID()), LockKey.ofService("deploy"), id + "-holder",
                    Instant.parse("2024-01-15T10:00:00Z"), null, null, 1);
        }

    }
}
