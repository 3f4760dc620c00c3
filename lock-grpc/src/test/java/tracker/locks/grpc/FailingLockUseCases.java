package tracker.locks.grpc;

import tracker.locks.domain.model.Lock;
import tracker.locks.domain.model.LockPage;
import tracker.locks.domain.model.PageRequest;
import tracker.locks.domain.port.in.AcquireLockCommand;
import tracker.locks.domain.port.in.Caller;
import tracker.locks.domain.port.in.LockUseCases;

/** Use cases that throw the same exception for every call, to pin how each failure reaches the client. */
final class FailingLockUseCases implements LockUseCases {

    private final RuntimeException failure;

    FailingLockUseCases(RuntimeException failure) {
        this.failure = failure;
    }

    @Override
    public Lock acquire(AcquireLockCommand command, Caller caller) {
        throw failure;
    }

    @Override
    public Lock get(String id) {
        throw failure;
    }

    @Override
    public void release(String id) {
        throw failure;
    }

    @Override
    public Lock renew(String id, java.time.Duration ttl) {
        throw failure;
    }

    @Override
    public LockPage list(PageRequest page) {
        throw failure;
    }
}
