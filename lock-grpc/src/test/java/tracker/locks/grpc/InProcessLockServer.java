package tracker.locks.grpc;

import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import tracker.lock.v1alpha1.LockServiceGrpc;
import tracker.locks.domain.port.in.LockUseCases;

/** LockService served in-process exactly as production serves it ({@link LockGrpcService#definition}), and a channel to it. */
final class InProcessLockServer implements AutoCloseable {

    private final Server server;
    private final ManagedChannel channel;

    private InProcessLockServer(LockUseCases locks, Executor executor) {
        String name = InProcessServerBuilder.generateName();
        try {
            server = InProcessServerBuilder.forName(name)
                    .executor(executor)
                    .addService(LockGrpcService.definition(locks))
                    .build()
                    .start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        channel = InProcessChannelBuilder.forName(name).directExecutor().build();
    }

    /** Every callback on the calling thread: fast and deterministic. */
    static InProcessLockServer direct(LockUseCases locks) {
        return new InProcessLockServer(locks, Runnable::run);
    }

    /** Callbacks on {@code executor}, as a real server runs them. */
    static InProcessLockServer on(LockUseCases locks, Executor executor) {
        return new InProcessLockServer(locks, executor);
    }

    LockServiceGrpc.LockServiceBlockingStub blockingStub() {
        return LockServiceGrpc.newBlockingStub(channel);
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
