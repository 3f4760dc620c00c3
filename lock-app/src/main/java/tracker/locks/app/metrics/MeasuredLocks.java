package tracker.locks.app.metrics;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.List;
import tracker.locks.domain.model.AccessDeniedException;
import tracker.locks.domain.model.AuthenticationRequiredException;
import tracker.locks.domain.model.CallerGoneException;
import tracker.locks.domain.model.HistoryFilter;
import tracker.locks.domain.model.InvalidLockRequestException;
import tracker.locks.domain.model.Lock;
import tracker.locks.domain.model.LockEvent;
import tracker.locks.domain.model.LockEventPage;
import tracker.locks.domain.model.LockHeldException;
import tracker.locks.domain.model.LockNotFoundException;
import tracker.locks.domain.model.LockPage;
import tracker.locks.domain.model.PageRequest;
import tracker.locks.domain.model.QueueFilter;
import tracker.locks.domain.model.WaitingClient;
import tracker.locks.domain.model.Principal;
import tracker.locks.domain.model.Released;
import tracker.locks.domain.model.TooManyFailedAuthenticationsException;
import tracker.locks.domain.port.in.AcquireLockCommand;
import tracker.locks.domain.port.in.Caller;
import tracker.locks.domain.port.in.Completion;
import tracker.locks.domain.port.in.LockUseCases;

/**
 * The use cases of one call, counted by outcome as the domain answered them: so REST and gRPC are measured the same
 * way, and a failure still reaches the transport's one error mapper unchanged (it is rethrown, never answered here).
 */
final class MeasuredLocks implements LockUseCases {

    private final LockUseCases locks;
    private final String transport;
    private final TrackerMetrics metrics;

    MeasuredLocks(LockUseCases locks, String transport, TrackerMetrics metrics) {
        this.locks = locks;
        this.transport = transport;
        this.metrics = metrics;
    }

    @Override
    public Lock acquire(AcquireLockCommand command, Caller caller) {
        long start = System.nanoTime();
        try {
            Lock lock = locks.acquire(command, caller);
            count(command, start, lock, null);
            return lock;
        } catch (RuntimeException e) {
            count(command, start, null, e);
            throw e;
        }
    }

    @Override
    public CompletableFuture<Lock> acquireAsync(AcquireLockCommand command, Caller caller) {
        long start = System.nanoTime();
        CompletableFuture<Lock> answer;
        try {
            answer = locks.acquireAsync(command, caller);
        } catch (RuntimeException e) {
            count(command, start, null, e);
            throw e;
        }
        // Counted before the transport sees the answer (whenComplete runs on the completing thread), and the
        // answer is passed on as it is: its failure stays the domain's own exception.
        answer.whenComplete((lock, failure) -> count(command, start, lock,
                failure == null ? null : Completion.cause(failure)));
        return answer;
    }

    /** One acquisition's outcome: acquired, a conflict or a wait that timed out, cancelled, rejected, an error. */
    private void count(AcquireLockCommand command, long start, Lock lock, Throwable failure) {
        boolean waits = command.maxWait() != null;
        if (failure == null) {
            metrics.acquisitions.labelValues(transport, "acquired").inc();
            if (waits) {
                metrics.waits.labelValues(transport).observe((System.nanoTime() - start) / 1e9);
            }
        } else if (failure instanceof LockHeldException) {
            metrics.acquisitions.labelValues(transport, waits ? "timeout" : "conflict").inc();
        } else if (failure instanceof CallerGoneException) {
            metrics.acquisitions.labelValues(transport, "cancelled").inc();
        } else {
            metrics.acquisitions.labelValues(transport,
                    failure instanceof RuntimeException e ? outcomeOf(e) : "error").inc();
        }
    }

    @Override
    public Lock get(String id) {
        return locks.get(id);
    }

    @Override
    public Released release(String id) {
        Released released = locks.release(id);
        metrics.releases.labelValues(transport, released.forced() ? "force_released" : "released").inc();
        Duration held = Duration.between(released.lock().createdAt(), Instant.now());
        metrics.holds.labelValues(transport).observe(Math.max(0, held.toNanos()) / 1e9);
        return released;
    }

    @Override
    public Lock renew(String id, Duration ttl) {
        try {
            Lock renewed = locks.renew(id, ttl);
            metrics.renewals.labelValues(transport, "renewed").inc();
            return renewed;
        } catch (LockNotFoundException notFound) {
            metrics.renewals.labelValues(transport, "not_found").inc();
            throw notFound;
        } catch (RuntimeException e) {
            metrics.renewals.labelValues(transport, outcomeOf(e)).inc();
            throw e;
        }
    }

    @Override
    public LockPage list(PageRequest page) {
        return locks.list(page);
    }

    @Override
    public Principal principal() {
        return locks.principal();
    }

    @Override
    public List<WaitingClient> queue(QueueFilter filter) {
        return locks.queue(filter);
    }

    @Override
    public LockEventPage history(HistoryFilter filter, PageRequest page) {
        return locks.history(filter, page);
    }

    @Override
    public List<LockEvent> history(String id) {
        return locks.history(id);
    }

    /** A refusal of the client's request (its fault, a 4xx), or the server's failure. */
    private static String outcomeOf(RuntimeException e) {
        boolean refused = e instanceof InvalidLockRequestException || e instanceof AccessDeniedException
                || e instanceof AuthenticationRequiredException || e instanceof TooManyFailedAuthenticationsException;
        return refused ? "rejected" : "error";
    }
}
