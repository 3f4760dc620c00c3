package tracker.locks.domain.service;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
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

    /** How often a waiter looks at its caller, so a client that gave up stops waiting soon after. */
    private static final Duration CALLER_CHECK = Duration.ofMillis(100);

    /**
     * How often the first waiter tries the key even without news of a release: a safety net for a release
     * notification lost between instances, or a lease judged by a database clock ahead of ours.
     */
    private static final Duration FALLBACK_POLL = Duration.ofSeconds(1);

    private final LockRepository repository;
    private final LockIdGenerator ids;
    private final LockPolicy policy;
    private final Clock clock;
    private final WaitingLine waiters;
    private final LongAdder expirations = new LongAdder();

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
            // Only a shared request can yield to a waiting exclusive one; the guide's lock asks nothing of the line.
            boolean yields = command.rule().mode() == LockMode.SHARED && waiters.exclusiveWaitingFor(command.key());
            return attempt(command, lease, yields);
        }
        if (lease == null && !caller.watched()) {
            // Nobody would notice this client leave while it waits, so a lock taken for it after it left must end
            // by itself.
            throw new InvalidLockRequestException("ttl",
                    "ttl is required with wait here: the server cannot see a waiting client leave, so its lock needs"
                            + " a lease");
        }
        return acquireWaiting(command, lease, clock.instant().plus(wait), caller);
    }

    /**
     * Tries, and while the key is held waits in line for it until the deadline. A newcomer queues behind the
     * clients already waiting instead of trying first, so waiters are served in arrival order.
     */
    private Lock acquireWaiting(AcquireLockCommand command, Duration lease, Instant deadline, Caller caller) {
        WaitingClient client = new WaitingClient(command.key(), command.who(), command.owner(), command.rule(),
                clock.instant());
        WaitingLine.Place waiter = waiters.anyoneWaitingFor(command.key()) ? waiters.join(client) : null;
        try {
            Instant nextTry = clock.instant();
            Lock holder = null;
            while (true) {
                Instant now = clock.instant();
                if (caller.hasGivenUp()) {
                    throw new CallerGoneException();
                }
                boolean myTurn = waiter == null || waiters.isFirst(waiter);
                if (!now.isBefore(deadline)) {
                    // the last try: the lock, or the usual conflict
                    boolean yields = !myTurn && command.rule().mode() == LockMode.SHARED
                            && waiters.exclusiveWaitingFor(command.key());
                    return keptFor(caller, attempt(command, lease, yields));
                }
                if (myTurn && !now.isBefore(nextTry)) {
                    try {
                        // Nobody waits ahead of the first in line, so it never yields to a waiting exclusive request.
                        return keptFor(caller, attempt(command, lease, false));
                    } catch (LockHeldException held) {
                        holder = held.holder();
                        nextTry = nextTry(now, holder);
                        if (waiter != null && held.reason() == LockHeldException.Reason.OTHER_LIMIT) {
                            // Taken with another limit, the key has no place for it until every holder is gone,
                            // however many places are free: it goes to the back of the line rather than hold up
                            // the waiters behind it who could have one now.
                            waiters.leave(waiter);
                            waiter = waiters.join(client);
                        }
                    }
                }
                if (waiter == null) {
                    waiter = waiters.join(client);
                }
                Instant wakeAt = earliest(deadline, now.plus(CALLER_CHECK), myTurn ? nextTry : deadline);
                if (waiters.await(waiter, Duration.between(now, wakeAt))) {
                    nextTry = clock.instant(); // a release: try at once
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CallerGoneException();
        } finally {
            if (waiter != null) {
                waiters.leave(waiter);
            }
        }
    }

    /** Without news, try again when the holder's lease ends, or at the fallback poll, whichever comes first. */
    private static Instant nextTry(Instant now, Lock holder) {
        Instant poll = now.plus(FALLBACK_POLL);
        return holder.expiry().map(end -> earliest(poll, end.plusMillis(1))).orElse(poll);
    }

    /** A lock taken for a caller that has gone meanwhile is released at once: nobody would know to release it. */
    private Lock keptFor(Caller caller, Lock lock) {
        if (caller.hasGivenUp()) {
            release(lock.id().toString());
            throw new CallerGoneException();
        }
        return lock;
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

    private static Instant earliest(Instant a, Instant b) {
        return a.isBefore(b) ? a : b;
    }

    private static Instant earliest(Instant a, Instant b, Instant c) {
        return earliest(earliest(a, b), c);
    }
}
