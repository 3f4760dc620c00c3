package tracker.locks.grpc;

import io.grpc.Context;
import io.grpc.Contexts;
import io.grpc.Grpc;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import tracker.locks.domain.port.in.BearerToken;

/**
 * Hands a LockService call what its client presented: the bearer token of its {@code authorization} metadata and
 * its address. The service asks the gate with them; deciding is not this class's business. Health and reflection
 * are not intercepted, so they stay open (load balancers and grpcurl's {@code list} need them).
 */
final class CallCredentials implements ServerInterceptor {

    static final Metadata.Key<String> AUTHORIZATION =
            Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER);

    private static final Context.Key<String> BEARER_TOKEN = Context.key("tracker-bearer-token");
    private static final Context.Key<String> CLIENT = Context.key("tracker-client-address");

    @Override
    public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers,
                                                       ServerCallHandler<Q, R> next) {
        Context context = Context.current()
                .withValue(BEARER_TOKEN, BearerToken.of(headers.get(AUTHORIZATION)))
                .withValue(CLIENT, address(call.getAttributes().get(Grpc.TRANSPORT_ATTR_REMOTE_ADDR)));
        return Contexts.interceptCall(context, call, headers, next);
    }

    /** The current call's bearer token; null when it presented none. */
    static String bearerToken() {
        return BEARER_TOKEN.get();
    }

    /** The current call's client address, "unknown" when the transport does not say. */
    static String client() {
        String client = CLIENT.get();
        return client == null ? "unknown" : client;
    }

    /** The host alone: a client guessing tokens must not get a fresh allowance with each new connection's port. */
    private static String address(SocketAddress remote) {
        if (remote instanceof InetSocketAddress inet) {
            return inet.getAddress() == null ? inet.getHostString() : inet.getAddress().getHostAddress();
        }
        return remote == null ? null : remote.toString();
    }
}
