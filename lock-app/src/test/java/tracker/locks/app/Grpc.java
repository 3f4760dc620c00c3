package tracker.locks.app;

import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import java.util.concurrent.TimeUnit;
import tracker.lock.v1alpha1.LockServiceGrpc;

/** A plaintext channel to a server's gRPC port, as a service would open it. */
final class Grpc implements AutoCloseable {

    private final ManagedChannel channel;

    Grpc(int port) {
        this.channel = NettyChannelBuilder.forAddress("127.0.0.1", port).usePlaintext().build();
    }

    ManagedChannel channel() {
        return channel;
    }

    LockServiceGrpc.LockServiceBlockingStub locks() {
        return LockServiceGrpc.newBlockingStub(channel).withDeadlineAfter(10, TimeUnit.SECONDS);
    }

    @Override
    public void close() throws InterruptedException {
        channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }
}
