package tracker.locks.grpc;

import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.Server;
import io.grpc.stub.MetadataUtils;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import tracker.lock.v1alpha1.LockServiceGrpc;
import tracker.locks.domain.port.in.LockGate;
import tracker.locks.domain.port.in.LockUseCases;

/** LockService served in-process exactly as production serves it ({@link LockGrpcService#definition}), and a channel to it. */
final class InProcessLockServer implements AutoCloseable {

    private final Server server;
    private final ManagedChannel channel;

    private InProcessLockServer(LockGate gate, Executor executor) {
        String name = InProcessServerBuilder.generateName();
        try {
            server = InProcessServerBuilder.forName(name)
                    .executor(executor)
                    .addService(LockGrpcService.definition(gate))
                    .build()
                    .start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        channel = InProcessChannelBuilder.forName(name).directExecutor().build();
    }

    /** Every callback on the calling thread: fast and deterministic. */
    static InProcessLockServer direct(LockUseCases locks) {
        return new InProcessLockServer((token, client) -> locks, Runnable::run);
    }

    /** Every call goes through {@code gate} with the token of its {@code authorization} metadata. */
    static InProcessLockServer behind(LockGate gate) {
        return new InProcessLockServer(gate, Runnable::run);
    }

    /** Callbacks on {@code executor}, as a real server runs them. */
    static InProcessLockServer on(LockUseCases locks, Executor executor) {
        return new InProcessLockServer((token, client) -> locks, executor);
    }

    LockServiceGrpc.LockServiceBlockingStub blockingStub() {
        return LockServiceGrpc.newBlockingStub(channel);
    }

    /** A stub whose calls carry {@code authorization: Bearer <token>}. */
    LockServiceGrpc.LockServiceBlockingStub blockingStub(String token) {
        Metadata headers = new Metadata();
        headers.put(CallCredentials.AUTHORIZATION, "Bearer " + token);
        return blockingStub().withInterceptors(MetadataUtils.newAttachHeadersInterceptor(headers));
    }

    /** The channel itself, for calls the generated stubs cannot make (raw bytes). */
    ManagedChannel channel() {
        return channel;
    }

    LockServiceGrpc.LockServiceFutureStub futureStub() {
        return LockServiceGrpc.newFutureStub(channel);
    }

    @Override
    public void close() {
        channel.shutdownNow();
        server.shutdownNow();
        try {
            channel.awaitTermination(5, TimeUnit.SECONDS);
            server.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
