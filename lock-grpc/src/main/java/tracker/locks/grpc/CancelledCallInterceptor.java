package tracker.locks.grpc;

import io.grpc.Context;
import io.grpc.ForwardingServerCallListener;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;

/**
 * Skips the work of a call that is already over: its deadline passed or its client went away while it waited
 * for a server thread.
 *
 * <p>gRPC cancels the call's {@link Context} the moment the deadline passes and answers DEADLINE_EXCEEDED
 * (CANCELLED when the client gave up) by itself, but a callback already queued on the executor still runs.
 * Taking a lock nobody will hear about would leave it held until someone force-releases it, so a cancelled call
 * must not reach the use cases. A call cancelled while its use case runs completes; its answer is dropped.
 */
final class CancelledCallInterceptor implements ServerInterceptor {

    @Override
    public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers,
                                                       ServerCallHandler<Q, R> next) {
        return new ForwardingServerCallListener.SimpleForwardingServerCallListener<>(next.startCall(call, headers)) {
            @Override
            public void onMessage(Q message) {
                if (!Context.current().isCancelled()) {
                    super.onMessage(message);
                }
            }

            @Override
            public void onHalfClose() {
                if (!Context.current().isCancelled()) {
                    super.onHalfClose();
                }
            }
        };
    }
}
