package tracker.locks.domain.service;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.LongAdder;
import tracker.locks.domain.model.CallerGoneException;
import tracker.locks.domain.model.Durations;
import tracker.locks.domain.model.HeldLocks;
import tracker.locks.domain.model.HistoryFilter;
import tracker.locks.domain.model.InvalidLockRequestException;
import tracker.locks.domain.model.Lock;
import tracker.locks.domain.model.LockEvent;
import tracker.locks.domain.model.LockEventPage;
import tracker.locks.domain.model.LockHeldException;
import tracker.locks.domain.model.LockId;
import tracker.locks.domain.model.LockMode;
import tracker.locks.domain.model.LockNotFoundException;
import tracker.locks.domain.model.LockPage;
import tracker.locks.domain.model.LockPolicy;
import tracker.locks.domain.model.LockStoreUnavailableException;
import tracker.locks.domain.model.PageRequest;
import tracker.locks.domain.model.QueueFilter;
import tracker.locks.domain.model.WaitingClient;
import tracker.locks.domain.model.Principal;
import tracker.locks.domain.model.Released;
import tracker.locks.domain.model.ServicePatterns;
import tracker.locks.domain.port.in.AcquireLockCommand;
import tracker.locks.domain.port.in.Caller;
import tracker.locks.domain.port.in.Completion;
import tracker.locks.domain.port.in.LockMaintenance;
import tracker.locks.domain.port.in.LockUseCases;
import tracker.locks.domain.port.out.AcquireOutcome;
import tracker.locks.domain.port.out.LockCandidate;
import tracker.locks.domain.port.out.LockIdGenerator;
import tracker.locks.domain.port.out.LockRepository;
import tracker.locks.domain.port.out.ReleaseFeed;
import tracker.locks.domain.port.out.WaitingLine;

/** The lock use cases over a {@link LockRepository}; the one implementation both transports call. */
public final class LockService implements LockUseCases, LockMaintenance {

    /**
     * A conflict whose holder vanishes before it can be read means the key was released meanwhile; trying again
     * either takes it or sees the next holder. Only a key released and re-taken this many times in a row during
     * one attempt runs out.
     */
    private static final int MAX_ATTEMPTS = 100;

    private final LockRepository repository;
    private final LockIdGenerator ids;
    private final LockPolicy policy;
    private final Clock clock;
    private final WaitingLine waiters;
    private final LongAdder expirations = new LongAdder();
    private final WaitingRoom room = WaitingRoom.shared();
    /** This service's clients waiting right now, for {@link #stopWaiting()}. */
    private final Set<WaitingAcquisition> waitingNow = ConcurrentHashMap.newKeySet();
    private volatile boolean stopping;
    private final WaitingAcquisition.Attempts attempts = new WaitingAcquisition.Attempts() {
        @Override
        public Lock attempt(AcquireLockCommand command, Duration lease, boolean yieldsToExclusive) {
            return LockService.this.attempt(command, lease, yieldsToExclusive);
        }

        @Override
        public void release(Lock lock) {
            LockService.this.release(lock.id().toString());
        }
    };

    /**
     * @param releases news of releases through other instances, which wakes the first client waiting here for the
     *                 key at once; {@link ReleaseFeed#NONE} where there are no other instances
     */
    public LockService(LockRepository repository, LockIdGenerator ids, LockPolicy policy, Clock clock,
                       ReleaseFeed releases) {
        this(repository, ids, policy, clock, releases, new LockWaiters());
    }

    /** The service's own line of waiters, for one instance (an embedded database). */
    public static WaitingLine ownLine() {
        return new LockWaiters();
    }

    /**
     * @param line where clients wait for held keys: this instance's own line by default; on a shared database, the
     *             line kept there, so that waiters on every instance are served in the order they came
     */
    public LockService(LockRepository repository, LockIdGenerator ids, LockPolicy policy, Clock clock,
                       ReleaseFeed releases, WaitingLine line) {
        this.waiters = Objects.requireNonNull(line, "line");
        this.repository = Objects.requireNonNull(repository, "repository");
        this.ids = Objects.requireNonNull(ids, "ids");
        this.policy = Objects.requireNonNull(policy, "policy");
        this.clock = Objects.requireNonNull(clock, "clock");
        releases.subscribe(waiters::released);
    }

    @Override
    public Lock acquire(AcquireLockCommand command, Caller caller) {
        Duration lease = policy.leaseFor(command.ttl());
        Duration wait = policy.waitFor(command.maxWait());
        if (wait.isZero()) {
            return attemptNow(command, lease);
        }
        WaitingAcquisition waiting = waiting(command, lease, wait, caller);
        CompletableFuture<Lock> answer = start(waiting);
        try {
            return answer.get();
        } catch (ExecutionException e) {
            throw Completion.rethrown(e);
        } catch (InterruptedException e) {
            // The thread waiting for the answer is told to stop: the wait ends as for a client that left, and a
            // lock granted meanwhile is given back, since nobody would know to release it.
            waiting.abandon();
            answer.thenAccept(lock -> release(lock.id().toString()));
            Thread.currentThread().interrupt();
            throw new CallerGoneException();
        }
    }

    /**
     * A request that does not wait is answered before this returns; one that waits holds no thread while it does
     * ({@link WaitingAcquisition}, {@link WaitingRoom}).
     */
    @Override
    public CompletableFuture<Lock> acquireAsync(AcquireLockCommand command, Caller caller) {
        try {
            Duration lease = policy.leaseFor(command.ttl());
            Duration wait = policy.waitFor(command.maxWait());
            if (wait.isZero()) {
                return CompletableFuture.completedFuture(attemptNow(command, lease));
            }
            return start(waiting(command, lease, wait, caller));
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    private Lock attemptNow(AcquireLockCommand command, Duration lease) {
        // Only a shared request can yield to a waiting exclusive one; the guide's lock asks nothing of the line.
        boolean yields = command.rule().mode() == LockMode.SHARED && waiters.exclusiveWaitingFor(command.key());
        return attempt(command, lease, yields);
    }

    /** A client that waits in line for the key until the deadline. */
    private WaitingAcquisition waiting(AcquireLockCommand command, Duration lease, Duration wait, Caller caller) {
        if (lease == null && !caller.watched()) {
            // Nobody would notice this client leave while it waits, so a lock taken for it after it left must end
            // by itself.
            throw new InvalidLockRequestException("ttl",
                    "ttl is required with wait here: the server cannot see a waiting client leave, so its lock needs"
                            + " a lease");
        }
        return new WaitingAcquisition(command, lease, clock.instant().plus(wait), caller, waiters, clock, room,
                attempts);
    }

    /**
     * Takes the first look and, when the client has to wait, keeps it where {@link #stopWaiting()} finds it. Added
     * before {@code stopping} is read, so a wait that begins as shutdown begins is stopped by one side or the other;
     * a key that is free is still taken.
     */
    private CompletableFuture<Lock> start(WaitingAcquisition waiting) {
        CompletableFuture<Lock> answer = waiting.start();
        if (!answer.isDone()) {
            waitingNow.add(waiting);
            answer.whenComplete((lock, failure) -> waitingNow.remove(waiting));
            if (stopping) {
                waiting.stop();
            }
        }
        return answer;
    }

    @Override
    public void stopWaiting() {
        stopping = true;
        waitingNow.forEach(WaitingAcquisition::stop);
    }

    /** @param yieldsToExclusive whether an exclusive request waits ahead of this one ({@link LockCandidate}) */
    private Lock attempt(AcquireLockCommand command, Duration lease, boolean yieldsToExclusive) {
        for (int attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
            LockCandidate candidate = new LockCandidate(ids.next(), command.key(), command.who(), command.eventId(),
                    lease, command.owner(), command.rule(), yieldsToExclusive);
            AcquireOutcome outcome = repository.acquire(candidate);
            if (outcome instanceof AcquireOutcome.Acquired acquired) {
                if (acquired.replacedLapsed()) {
                    expirations.increment();
                }
                return acquired.lock();
            }
            if (outcome instanceof AcquireOutcome.KeyHeld held) {
                throw new LockHeldException(held.holders(), held.why());
            }
        }
        throw new LockStoreUnavailableException(
                "the key changed hands " + MAX_ATTEMPTS + " times during one request; try again", null);
    }

    @Override
    public Lock get(String id) {
        return LockId.parse(id)
                .flatMap(repository::findHeld)
                .orElseThrow(() -> new LockNotFoundException(id));
    }

    @Override
    public Released release(String id) {
        Lock released = LockId.parse(id)
                .flatMap(repository::release)
                .orElseThrow(() -> new LockNotFoundException(id));
        waiters.released(released.key());
        return new Released(released, false);
    }

    /** Releases the lock as the admin {@code admin}: forced when it is another principal's ({@link PrincipalLocks}). */
    Released releaseAsAdmin(String id, String admin) {
        Released released = LockId.parse(id)
                .flatMap(lockId -> repository.releaseAsAdmin(lockId, admin))
                .orElseThrow(() -> new LockNotFoundException(id));
        waiters.released(released.lock().key());
        return released;
    }

    @Override
    public Lock renew(String id, Duration ttl) {
        Duration lease = policy.leaseFor(Durations.positive("ttl", ttl));
        if (lease == null) {
            throw new InvalidLockRequestException("ttl", "ttl is required: the server has no default lease");
        }
        return LockId.parse(id)
                .flatMap(lockId -> repository.renew(lockId, lease))
                .orElseThrow(() -> new LockNotFoundException(id));
    }

    @Override
    public LockPage list(PageRequest page) {
        return list(page, ServicePatterns.ALL);
    }

    /**
     * The held locks of the services {@code services} matches: what a principal may see ({@link PrincipalLocks}),
     * with how many clients of this instance wait for each.
     */
    LockPage list(PageRequest page, ServicePatterns services) {
        LockPage held = repository.page(Objects.requireNonNull(page, "page"), services);
        return held.withWaiters(waiters.waitingFor(held.locks().stream().map(Lock::key).toList()));
    }

    @Override
    public List<WaitingClient> queue(QueueFilter filter) {
        return waiters.queue(Objects.requireNonNull(filter, "filter"));
    }

    @Override
    public Principal principal() {
        return Principal.ANYONE;
    }

    @Override
    public LockEventPage history(HistoryFilter filter, PageRequest page) {
        return repository.history(Objects.requireNonNull(filter, "filter"), Objects.requireNonNull(page, "page"));
    }

    @Override
    public List<LockEvent> history(String id) {
        List<LockEvent> events = LockId.parse(id).map(repository::history).orElse(List.of());
        if (events.isEmpty()) {
            throw new LockNotFoundException(id);
        }
        return events;
    }

    @Override
    public int endLapsedLeases() {
        int ended = repository.endLapsedLeases();
        expirations.add(ended);
        return ended;
    }

    @Override
    public int pruneHistory() {
        return repository.deleteHistoryBefore(policy.historyRetention());
    }

    @Override
    public HeldLocks held() {
        // The list is oldest first: its first page of one has both the count and the oldest lock.
        LockPage first = repository.page(new PageRequest(1, 1), ServicePatterns.ALL);
        return new HeldLocks(first.total(), first.locks().isEmpty() ? null : first.locks().get(0).createdAt());
    }

    @Override
    public long expirations() {
        return expirations.sum();
    }

    @Override
    public int waiting() {
        return waiters.waiting();
    }

    @Override
    public int deleteEndedLocks() {
        return repository.deleteEndedBefore(policy.retention());
    }
}
