package tracker.locks.domain.testing;

import java.time.Duration;
import java.util.List;
import java.util.function.Supplier;
import tracker.locks.domain.model.HistoryFilter;
import tracker.locks.domain.model.Lock;
import tracker.locks.domain.model.LockEvent;
import tracker.locks.domain.model.LockEventPage;
import tracker.locks.domain.model.LockPage;
import tracker.locks.domain.model.PageRequest;
import tracker.locks.domain.model.QueueFilter;
import tracker.locks.domain.model.WaitingClient;
import tracker.locks.domain.model.Principal;
import tracker.locks.domain.model.Released;
import tracker.locks.domain.port.in.AcquireLockCommand;
import tracker.locks.domain.port.in.Caller;
import tracker.locks.domain.port.in.LockUseCases;

/**
 * Use cases that fail every call with what {@code failures} supplies — a broken store, say, to pin how each failure
 * reaches a client. A test double that answers some calls extends it and overrides just those.
 */
public class FailingLockUseCases implements LockUseCases {

    private final Supplier<? extends RuntimeException> failures;

    public FailingLockUseCases(Supplier<? extends RuntimeException> failures) {
        this.failures = failures;
    }

    /** Refuses every call it does not override. */
    public FailingLockUseCases() {
        this(UnsupportedOperationException::new);
    }

    @Override
    public Lock acquire(AcquireLockCommand command, Caller caller) {
        throw failures.get();
    }

    @Override
    public Lock get(String id) {
        throw failures.get();
    }

    @Override
    public Released release(String id) {
        throw failures.get();
    }

    @Override
    public Lock renew(String id, Duration ttl) {
        throw failures.get();
    }

    @Override
    public LockPage list(PageRequest page) {
        throw failures.get();
    }

    @Override
    public Principal principal() {
        return Principal.ANYONE;
    }

    @Override
    public List<WaitingClient> queue(QueueFilter filter) {
        throw failures.get();
    }

    @Override
    public LockEventPage history(HistoryFilter filter, PageRequest page) {
        throw failures.get();
    }

    @Override
    public List<LockEvent> history(String id) {
        throw failures.get();
    }
}
