package tracker.locks.app;

import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import tracker.lock.v1alpha1.CreateLockRequest;
import tracker.lock.v1alpha1.ListLocksRequest;
import tracker.lock.v1alpha1.Lock;
import tracker.lock.v1alpha1.LockServiceGrpc;
import tracker.lock.v1alpha1.UnLockRequest;

/** A {@link LockClient} over gRPC with generated stubs, as a Java service would call it. */
final class GrpcLockClient implements LockClient {

    private final ManagedChannel channel;
    private final LockServiceGrpc.LockServiceBlockingStub stub;
    private final int port;

    GrpcLockClient(int port) {
        this.port = port;
        this.channel = NettyChannelBuilder.forAddress("127.0.0.1", port).usePlaintext().build();
        this.stub = LockServiceGrpc.newBlockingStub(channel);
    }

    @Override
    public AcquireAnswer acquire(String service, String who) {
        try {
            Lock lock = deadline().createLock(CreateLockRequest.newBuilder().setService(service).setWho(who).build())
                    .getLock();
            return AcquireAnswer.acquired(lock.getId());
        } catch (StatusRuntimeException e) {
            return e.getStatus().getCode() == Status.Code.ALREADY_EXISTS ? AcquireAnswer.HELD : AcquireAnswer.FAILED;
        }
    }

    @Override
    public ReleaseAnswer release(String id) {
        try {
            deadline().unLock(UnLockRequest.newBuilder().setId(id).build());
            return ReleaseAnswer.RELEASED;
        } catch (StatusRuntimeException e) {
            return e.getStatus().getCode() == Status.Code.NOT_FOUND ? ReleaseAnswer.NOT_FOUND : ReleaseAnswer.FAILED;
        }
    }

    @Override
    public Optional<String> findHeldBy(String who) {
        try {
            ListLocksRequest all = ListLocksRequest.newBuilder()
                    .setPerPage(com.google.protobuf.UInt32Value.of(1000)).build();
            return deadline().listLocks(all).getLocksList().stream()
                    .filter(lock -> lock.getWho().equals(who)).map(Lock::getId).findFirst();
        } catch (StatusRuntimeException e) {
            return Optional.empty();
        }
    }

    @Override
    public String describe() {
        return "gRPC 127.0.0.1:" + port;
    }

    @Override
    public void close() {
        channel.shutdownNow();
    }

    private LockServiceGrpc.LockServiceBlockingStub deadline() {
        return stub.withDeadlineAfter(10, TimeUnit.SECONDS);
    }
}
