package tracker.locks.testkit;

import com.google.protobuf.Timestamp;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import tracker.lock.v1alpha1.CreateLockRequest;
import tracker.lock.v1alpha1.GetLockRequest;
import tracker.lock.v1alpha1.ListLocksRequest;
import tracker.lock.v1alpha1.Lock;
import tracker.lock.v1alpha1.LockServiceGrpc;
import tracker.lock.v1alpha1.RenewLockRequest;
import tracker.lock.v1alpha1.UnLockRequest;

/** A {@link LockClient} over gRPC with generated stubs, as a Java service would call it. */
public final class GrpcLockClient implements LockClient {

    private final ManagedChannel channel;
    private final LockServiceGrpc.LockServiceBlockingStub stub;
    private final int port;
    private final FailureKinds failures = new FailureKinds();

    public GrpcLockClient(int port) {
        this.port = port;
        this.channel = NettyChannelBuilder.forAddress("127.0.0.1", port).usePlaintext().build();
        this.stub = LockServiceGrpc.newBlockingStub(channel);
    }

    @Override
    public AcquireAnswer acquire(String service, String environment, String who, Duration ttl) {
        CreateLockRequest.Builder request = CreateLockRequest.newBuilder().setService(service).setWho(who);
        if (environment != null) {
            request.setEnvironment(environment);
        }
        if (ttl != null) {
            request.setTtl(duration(ttl));
        }
        return create(request);
    }

    @Override
    public AcquireAnswer acquire(String service, String who, int limit) {
        return create(CreateLockRequest.newBuilder().setService(service).setWho(who)
                .setLimit(com.google.protobuf.UInt32Value.of(limit)));
    }

    private AcquireAnswer create(CreateLockRequest.Builder request) {
        try {
            Lock lock = deadline().createLock(request.build()).getLock();
            return AcquireAnswer.acquired(lock.getId(), lock.getToken(), expiresAt(lock));
        } catch (StatusRuntimeException e) {
            return e.getStatus().getCode() == Status.Code.ALREADY_EXISTS ? AcquireAnswer.HELD
                    : failed(e, AcquireAnswer.FAILED);
        }
    }

    @Override
    public ReleaseAnswer release(String id) {
        try {
            deadline().unLock(UnLockRequest.newBuilder().setId(id).build());
            return ReleaseAnswer.RELEASED;
        } catch (StatusRuntimeException e) {
            return notFound(e) ? ReleaseAnswer.NOT_FOUND : failed(e, ReleaseAnswer.FAILED);
        }
    }

    @Override
    public RenewAnswer renew(String id, Duration ttl) {
        try {
            Lock lock = deadline().renewLock(RenewLockRequest.newBuilder().setId(id).setTtl(duration(ttl)).build())
                    .getLock();
            return new RenewAnswer(Found.HELD, expiresAt(lock));
        } catch (StatusRuntimeException e) {
            return notFound(e) ? RenewAnswer.NOT_FOUND : failed(e, RenewAnswer.FAILED);
        }
    }

    @Override
    public LockState get(String id) {
        try {
            Lock lock = deadline().getLock(GetLockRequest.newBuilder().setId(id).build()).getLock();
            return new LockState(Found.HELD, lock.getToken(), expiresAt(lock));
        } catch (StatusRuntimeException e) {
            return notFound(e) ? LockState.NOT_FOUND : failed(e, LockState.FAILED);
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
            return failed(e, Optional.empty());
        }
    }

    @Override
    public java.util.Map<String, Long> failures() {
        return failures.snapshot();
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

    /** Counts the failure by its status code, and answers {@code answer}. */
    private <T> T failed(StatusRuntimeException e, T answer) {
        failures.record(e.getStatus().getCode().name());
        return answer;
    }

    private static boolean notFound(StatusRuntimeException e) {
        return e.getStatus().getCode() == Status.Code.NOT_FOUND;
    }

    private static com.google.protobuf.Duration duration(Duration ttl) {
        return com.google.protobuf.Duration.newBuilder().setSeconds(ttl.getSeconds()).setNanos(ttl.getNano()).build();
    }

    /** The lease end in whole seconds, rounded down as REST shows it, so both transports' answers compare. */
    private static Instant expiresAt(Lock lock) {
        if (!lock.hasExpiresAt()) {
            return null;
        }
        Timestamp end = lock.getExpiresAt();
        return Instant.ofEpochSecond(end.getSeconds());
    }
}
