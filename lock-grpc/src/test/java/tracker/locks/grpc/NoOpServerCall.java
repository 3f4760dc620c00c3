package tracker.locks.grpc;

import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.ServerCall;
import io.grpc.Status;

/** A call that accepts everything and does nothing, for interceptors tested without a transport. */
class NoOpServerCall extends ServerCall<String, String> {

    @Override
    public void request(int numMessages) {
    }

    @Override
    public void sendHeaders(Metadata headers) {
    }

    @Override
    public void sendMessage(String message) {
    }

    @Override
    public void close(Status status, Metadata trailers) {
    }

    @Override
    public boolean isCancelled() {
        return false;
    }

    @Override
    public MethodDescriptor<String, String> getMethodDescriptor() {
        throw new UnsupportedOperationException();
    }
}
