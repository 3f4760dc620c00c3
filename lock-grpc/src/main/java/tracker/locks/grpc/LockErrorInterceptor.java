package tracker.locks.grpc;

import io.grpc.ForwardingServerCall;
import io.grpc.ForwardingServerCallListener;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.lang.System.Logger.Level;

/**
 * Closes a call whose handler threw with the status {@link GrpcErrorMapper} picks for the exception. Without it
 * gRPC would answer UNKNOWN; with it the service methods stay free of try/catch.
 */
final class LockErrorInterceptor implements ServerInterceptor {

    private static final System.Logger LOG = System.getLogger(LockErrorInterceptor.class.getName());

    @Override
    public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers,
                                                       ServerCallHandler<Q, R> next) {
        CloseOnceCall<Q, R> guarded = new CloseOnceCall<>(call);
        try {
            return new MappingListener<>(next.startCall(guarded, headers), guarded);
        } catch (RuntimeException failure) {
            guarded.closeWith(failure);
            return new ServerCall.Listener<>() {
            };
        }
    }

    /** Runs each callback; a callback that throws while the call is open closes it with the mapped status. */
    private static final class MappingListener<Q, R> extends ForwardingServerCallListener.SimpleForwardingServerCallListener<Q> {

        private final CloseOnceCall<Q, R> call;

        MappingListener(ServerCall.Listener<Q> delegate, CloseOnceCall<Q, R> call) {
            super(delegate);
            this.call = call;
        }

        @Override
        public void onMessage(Q message) {
            try {
                super.onMessage(message);
            } catch (RuntimeException failure) {
                call.closeWith(failure);
            }
        }

        @Override
        public void onHalfClose() {
            // A unary RPC's method runs here.
            try {
                super.onHalfClose();
            } catch (RuntimeException failure) {
                call.closeWith(failure);
            }
        }

        @Override
        public void onReady() {
            try {
                super.onReady();
            } catch (RuntimeException failure) {
                call.closeWith(failure);
            }
        }

        @Override
        public void onCancel() {
            try {
                super.onCancel();
            } catch (RuntimeException failure) {
                LOG.log(Level.WARNING, "failure after the call was cancelled", failure);
            }
        }

        @Override
        public void onComplete() {
            try {
                super.onComplete();
            } catch (RuntimeException failure) {
                LOG.log(Level.WARNING, "failure after the call completed", failure);
            }
        }
    }

    /**
     * Remembers whether the call was closed: closing twice is an error in gRPC, and a handler may throw after it
     * has already answered.
     */
    private static final class CloseOnceCall<Q, R> extends ForwardingServerCall.SimpleForwardingServerCall<Q, R> {

        private volatile boolean closed;

        CloseOnceCall(ServerCall<Q, R> delegate) {
            super(delegate);
        }

        @Override
        public void close(Status status, Metadata trailers) {
            closed = true;
            super.close(status, trailers);
        }

        void closeWith(RuntimeException failure) {
            StatusRuntimeException mapped = GrpcErrorMapper.toStatusException(failure);
            if (closed) {
                LOG.log(Level.WARNING, "failure after the call was answered", failure);
                return;
            }
            Metadata trailers = mapped.getTrailers();
            close(mapped.getStatus(), trailers == null ? new Metadata() : trailers);
        }
    }
}
