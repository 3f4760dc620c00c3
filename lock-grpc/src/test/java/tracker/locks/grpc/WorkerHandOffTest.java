package tracker.locks.grpc;

import static org.assertj.core.api.Assertions.assertThat;

import io.grpc.Context;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.Status;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The listener contract gRPC promises a call, kept while its method runs on a worker. */
class WorkerHandOffTest {

    private static final Context.Key<String> CALLER = Context.key("caller");

    private final WorkerHandOff handOff = new WorkerHandOff();
    private final RecordingListener inner = new RecordingListener();
    private final ServerCall.Listener<String> listener = handOff.interceptCall(new NoCall(), new Metadata(),
            (call, headers) -> inner);

    @AfterEach
    void stop() {
        inner.release.countDown();
        handOff.close();
    }

    @Test
    void theMethodRunsOnAWorkerInTheCallsContext() throws Exception {
        Context.current().withValue(CALLER, "ci-runner").run(listener::onHalfClose);

        assertThat(inner.entered.await(5, TimeUnit.SECONDS)).isTrue();
        assertThat(inner.events).containsExactly("halfClose on tracker-grpc-call-* as ci-runner");
    }

    @Test
    void callbacksArrivingWhileTheMethodRunsWaitForItThenRunInOrder() throws Exception {
        listener.onMessage("request");
        listener.onHalfClose();
        assertThat(inner.entered.await(5, TimeUnit.SECONDS)).isTrue();

        Context.current().withValue(CALLER, "deadline").run(listener::onCancel);
        listener.onComplete();
        assertThat(inner.events).as("nothing overlaps the running method")
                .containsExactly("message request on " + testThread(), "halfClose on tracker-grpc-call-* as null");

        inner.release.countDown();
        inner.awaitEvents(4);
        assertThat(inner.events).containsExactly("message request on " + testThread(),
                "halfClose on tracker-grpc-call-* as null", "cancel on tracker-grpc-call-* as deadline",
                "complete on tracker-grpc-call-* as null");
    }

    @Test
    void callbacksOfAnIdleCallRunAtOnceWhereTheyArrive() throws Exception {
        inner.release.countDown();
        listener.onHalfClose();
        inner.awaitEvents(1);
        awaitIdle();

        listener.onComplete();

        assertThat(inner.events).containsExactly("halfClose on tracker-grpc-call-* as null",
                "complete on " + testThread() + " as null");
    }

    /** The worker leaves the call just after the method returns; a callback sent before then is queued. */
    private void awaitIdle() throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (inner.lastWorker != null && inner.lastWorker.getState() == Thread.State.RUNNABLE
                && System.nanoTime() < deadline) {
            Thread.sleep(1);
        }
    }

    private static String testThread() {
        return Thread.currentThread().getName();
    }

    private static final class RecordingListener extends ServerCall.Listener<String> {
        final List<String> events = new CopyOnWriteArrayList<>();
        final CountDownLatch entered = new CountDownLatch(1);
        final CountDownLatch release = new CountDownLatch(1);
        volatile Thread lastWorker;

        @Override
        public void onMessage(String message) {
            events.add("message " + message + " on " + Thread.currentThread().getName());
        }

        @Override
        public void onHalfClose() {
            record("halfClose");
            entered.countDown();
            try {
                release.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        @Override
        public void onCancel() {
            record("cancel");
        }

        @Override
        public void onComplete() {
            record("complete");
        }

        private void record(String event) {
            String thread = Thread.currentThread().getName();
            if (thread.startsWith("tracker-grpc-call-")) {
                lastWorker = Thread.currentThread();
                thread = "tracker-grpc-call-*";
            }
            events.add(event + " on " + thread + " as " + CALLER.get());
        }

        void awaitEvents(int count) throws InterruptedException {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            while (events.size() < count && System.nanoTime() < deadline) {
                Thread.sleep(1);
            }
        }
    }

    /** A call nobody answers on: the listener under test never touches it unless a callback fails. */
    private static final class NoCall extends NoOpServerCall {
        @Override
        public void close(Status status, Metadata trailers) {
            throw new AssertionError("closed with " + status);
        }
    }
}
