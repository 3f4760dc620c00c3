package tracker.locks.grpc;

import io.grpc.ForwardingServerCallListener;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Counts the calls in flight: from their start until they complete or are cancelled — what an operator watches
 * during a drain, as REST's active requests.
 */
final class ActiveCallsInterceptor implements ServerInterceptor {

    private final AtomicInteger active = new AtomicInteger();

    int active() {
        return active.get();
    }

    @Override
    public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers,
                                                       ServerCallHandler<Q, R> next) {
        active.incrementAndGet();
        ServerCall.Listener<Q> listener;
        try {
            listener = next.startCall(call, headers);
        } catch (RuntimeException | Error e) {
            active.decrementAndGet();
            throw e;
        }
        // gRPC ends every call with exactly one of onComplete and onCancel.
        return new ForwardingServerCallListener.SimpleForwardingServerCallListener<>(listener) {
            @Override
            public void onComplete() {
                active.decrementAndGet();
                super.onComplete();
            }

            @Override
            public void onCancel() {
                active.decrementAndGet();
                super.onCancel();
            }
        };
    }
}
