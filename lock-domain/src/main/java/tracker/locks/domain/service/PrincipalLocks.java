package tracker.locks.domain.service;

import java.time.Duration;
import java.util.List;
import java.util.Locale;
import tracker.locks.domain.model.AccessDeniedException;
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
import tracker.locks.domain.model.Scope;
import tracker.locks.domain.port.in.AcquireLockCommand;
import tracker.locks.domain.port.in.Caller;
import tracker.locks.domain.port.in.LockUseCases;

/**
 * The lock use cases as one principal may use them: each call needs its scope (read to look, write to take, renew
 * and release), a service the principal's patterns allow, and — to renew or release — the principal's own lock,
 * unless it is an admin. Locks it takes record it as their owner. A denial names what is missing.
 *
 * <p>Renewing or releasing reads the lock first, to learn its service and owner, then renews or releases it by id:
 * an id names one acquisition, whose owner never changes, so nothing can slip in between.
 */
final class PrincipalLocks implements LockUseCases {

    private final LockService locks;
    private final Principal principal;
    /** An admin of every service may do anything to any lock: no need to look at the lock first. */
    private final boolean unrestricted;

    PrincipalLocks(LockService locks, Principal principal) {
        this.locks = locks;
        this.principal = principal;
        this.unrestricted = principal.may(Scope.ADMIN) && principal.services().all();
    }

    @Override
    public Lock acquire(AcquireLockCommand command, Caller caller) {
        require(Scope.WRITE);
        requireService(command.key().service());
        return locks.acquire(command.withOwner(principal.owner()), caller);
    }

    @Override
    public java.util.concurrent.CompletableFuture<Lock> acquireAsync(AcquireLockCommand command, Caller caller) {
        require(Scope.WRITE);
        requireService(command.key().service());
        return locks.acquireAsync(command.withOwner(principal.owner()), caller);
    }

    @Override
    public Lock get(String id) {
        require(Scope.READ);
        Lock lock = locks.get(id);
        requireService(lock.service());
        return lock;
    }

    @Override
    public Released release(String id) {
        require(Scope.WRITE);
        if (!unrestricted) {
            requireOwnLock(locks.get(id), "release");
        }
        // An admin's release is recorded as a force-release when the lock is another's: the store decides, as it
        // knows the owner at the moment of the release.
        return principal.may(Scope.ADMIN) && principal.owner() != null ? locks.releaseAsAdmin(id, principal.owner())
                : locks.release(id);
    }

    @Override
    public Lock renew(String id, Duration ttl) {
        require(Scope.WRITE);
        if (!unrestricted) {
            requireOwnLock(locks.get(id), "renew");
        }
        return locks.renew(id, ttl);
    }

    @Override
    public LockPage list(PageRequest page) {
        require(Scope.READ);
        return locks.list(page, principal.services());
    }

    @Override
    public List<WaitingClient> queue(QueueFilter filter) {
        require(Scope.READ);
        requireService(filter.service());
        return locks.queue(filter);
    }

    @Override
    public LockEventPage history(HistoryFilter filter, PageRequest page) {
        require(Scope.READ);
        if (filter.service() != null) {
            requireService(filter.service());
        }
        return locks.history(filter.within(principal.services()), page);
    }

    @Override
    public Principal principal() {
        return principal;
    }

    @Override
    public List<LockEvent> history(String id) {
        require(Scope.READ);
        List<LockEvent> events = locks.history(id);
        requireService(events.get(0).key().service());
        return events;
    }

    private void require(Scope scope) {
        if (!principal.may(scope)) {
            throw new AccessDeniedException("token " + principal.name() + " lacks the "
                    + scope.name().toLowerCase(Locale.ROOT) + " scope");
        }
    }

    private void requireService(String service) {
        if (!principal.services().matches(service)) {
            throw new AccessDeniedException("token " + principal.name() + " may not use service " + service
                    + " (its services: " + String.join(", ", principal.services().globs()) + ")");
        }
    }

    private void requireOwnLock(Lock lock, String what) {
        requireService(lock.service());
        if (principal.may(Scope.ADMIN) || principal.name().equals(lock.owner())) {
            return;
        }
        throw new AccessDeniedException("lock " + lock.id() + " is "
                + (lock.owner() == null ? "owned by nobody (taken before authentication was on)"
                        : "owned by " + lock.owner())
                + "; to " + what + " another's lock, a token needs the admin scope");
    }
}
