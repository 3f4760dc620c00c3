package tracker.locks.grpc;

import java.time.Instant;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import tracker.lock.v1alpha1.LockServiceGrpc.LockServiceBlockingStub;
import tracker.locks.domain.testing.LockServices;
import tracker.locks.domain.testing.MutableClock;

/**
 * A test's LockService: the real use cases on an in-memory store, judging leases by a clock the test moves, served
 * in-process as production serves them, and a blocking stub on it; stopped after each test. Register it with
 * {@code @RegisterExtension}.
 */
final class InMemoryGrpcLocks implements AfterEachCallback {

    private final MutableClock clock;
    private final InProcessLockServer server;
    private final LockServiceBlockingStub stub;

    InMemoryGrpcLocks(Instant now) {
        this.clock = new MutableClock(now);
        this.server = InProcessLockServer.direct(LockServices.inMemory(clock));
        this.stub = server.blockingStub();
    }

    MutableClock clock() {
        return clock;
    }

    LockServiceBlockingStub stub() {
        return stub;
    }

    @Override
    public void afterEach(ExtensionContext context) {
        server.close();
    }
}
