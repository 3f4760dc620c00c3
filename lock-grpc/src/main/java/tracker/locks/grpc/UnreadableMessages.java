package tracker.locks.grpc;

import io.grpc.ForwardingServerCall;
import io.grpc.ForwardingServerCallListener;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerMethodDefinition;
import io.grpc.ServerServiceDefinition;
import io.grpc.ServiceDescriptor;
import io.grpc.Status;
import java.io.InputStream;
import java.util.List;

/**
 * Answers a request whose bytes are not a valid message (truncated, a wrong wire type, invalid UTF-8 in a string)
 * with INVALID_ARGUMENT. grpc-java itself answers a marshaller's failure as UNKNOWN "Application error processing
 * RPC" and logs it as a server error; but such bytes are the client's mistake, and the client should hear so.
 * The request marshaller answers null for unreadable bytes (a real message is never null), and the call refuses it.
 */
final class UnreadableMessages {

    private UnreadableMessages() {
    }

    /** {@code service} with every method guarded; the schema (for reflection) is kept as it is. */
    static ServerServiceDefinition refused(ServerServiceDefinition service) {
        List<ServerMethodDefinition<?, ?>> methods = service.getMethods().stream()
                .<ServerMethodDefinition<?, ?>>map(UnreadableMessages::guarded).toList();
        ServiceDescriptor original = service.getServiceDescriptor();
        ServiceDescriptor.Builder descriptor = ServiceDescriptor.newBuilder(original.getName())
                .setSchemaDescriptor(original.getSchemaDescriptor());
        methods.forEach(method -> descriptor.addMethod(method.getMethodDescriptor()));
        ServerServiceDefinition.Builder guarded = ServerServiceDefinition.builder(descriptor.build());
        methods.forEach(guarded::addMethod);
        return guarded.build();
    }

    private static <Q, A> ServerMethodDefinition<Q, A> guarded(ServerMethodDefinition<Q, A> method) {
        MethodDescriptor<Q, A> strict = method.getMethodDescriptor();
        MethodDescriptor<Q, A> lenient = strict.toBuilder()
                .setRequestMarshaller(new NullWhenUnreadable<>(strict.getRequestMarshaller()))
                .build();
        String refusal = "the request is not a valid " + strict.getFullMethodName().replaceAll("/.*", "")
                + "/" + strict.getBareMethodName() + " message: its protobuf bytes do not parse";
        ServerCallHandler<Q, A> handler = method.getServerCallHandler();
        return ServerMethodDefinition.create(lenient, (call, headers) -> refusing(call, headers, handler, refusal));
    }

    private static <Q, A> ServerCall.Listener<Q> refusing(ServerCall<Q, A> call, Metadata headers,
                                                          ServerCallHandler<Q, A> handler, String refusal) {
        ClosingCall<Q, A> closing = new ClosingCall<>(call);
        return new ForwardingServerCallListener.SimpleForwardingServerCallListener<>(handler.startCall(closing, headers)) {
            private boolean refused;

            @Override
            public void onMessage(Q message) {
                if (message != null) {
                    super.onMessage(message);
                } else if (!refused) {
                    refused = true;
                    closing.closeOnce(Status.INVALID_ARGUMENT.withDescription(refusal));
                }
            }

            @Override
            public void onHalfClose() {
                // After a refusal the call has nothing to serve: the stub would otherwise close it a second time.
                if (!refused) {
                    super.onHalfClose();
                }
            }
        };
    }

    /** A call that remembers it was closed (an interceptor may have closed it, e.g. unauthenticated). */
    private static final class ClosingCall<Q, A> extends ForwardingServerCall.SimpleForwardingServerCall<Q, A> {
        private boolean closed;

        ClosingCall(ServerCall<Q, A> call) {
            super(call);
        }

        @Override
        public void close(Status status, Metadata trailers) {
            closed = true;
            super.close(status, trailers);
        }

        void closeOnce(Status status) {
            if (!closed) {
                close(status, new Metadata());
            }
        }
    }

    private record NullWhenUnreadable<Q>(MethodDescriptor.Marshaller<Q> strict) implements MethodDescriptor.Marshaller<Q> {
        @Override
        public InputStream stream(Q value) {
            return strict.stream(value);
        }

        @Override
        public Q parse(InputStream stream) {
            try {
                return strict.parse(stream);
            } catch (RuntimeException unreadable) { // protobuf's marshaller throws StatusRuntimeException(INTERNAL)
                return null;
            }
        }
    }
}
