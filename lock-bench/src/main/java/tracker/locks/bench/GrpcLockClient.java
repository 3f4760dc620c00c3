package tracker.locks.bench;

import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import java.util.concurrent.TimeUnit;
import tracker.lock.v1alpha1.CreateLockRequest;
import tracker.lock.v1alpha1.LockServiceGrpc;
import tracker.lock.v1alpha1.UnLockRequest;
import tracker.lock.v1alpha1.UnLockResponse;

/** The server over gRPC: one plaintext Netty channel (one HTTP/2 connection) shared by every client thread. */
final class GrpcLockClient implements LockClient {

    private static final long DEADLINE_SECONDS = 10;

    private final ManagedChannel channel;
    private final LockServiceGrpc.LockServiceBlockingStub locks;

    GrpcLockClient(String host, int port) {
        this.channel = NettyChannelBuilder.forAddress(host, port).usePlaintext().build();
        this.locks = LockServiceGrpc.newBlockingStub(channel);
    }

    @Override
    public String acquire(String service, String environment, String who) {
        try {
            return locks.withDeadlineAfter(DEADLINE_SECONDS, TimeUnit.SECONDS)
                    .createLock(CreateLockRequest.newBuilder()
                            .setService(service).setEnvironment(environment).setWho(who).build())
                    .getLock().getId();
        } catch (StatusRuntimeException e) {
            if (e.getStatus().getCode() == Status.Code.ALREADY_EXISTS) {
                return null;
            }
            throw e;
        }
    }

    @Override
    public void release(String id) {
        UnLockResponse released = locks.withDeadlineAfter(DEADLINE_SECONDS, TimeUnit.SECONDS)
                .unLock(UnLockRequest.newBuilder().setId(id).build());
        if (released.getCount() != 1) {
            throw new IllegalStateException("UnLock answered count " + released.getCount() + " for " + id);
        }
    }

    @Override
    public void close() {
        channel.shutdown();
        try {
            if (!channel.awaitTermination(5, TimeUnit.SECONDS)) {
                channel.shutdownNow();
            }
        } catch (InterruptedException e) {
            channel.shutdownNow();
            Thread.currentThread().interrupt();
        }
    }
}
