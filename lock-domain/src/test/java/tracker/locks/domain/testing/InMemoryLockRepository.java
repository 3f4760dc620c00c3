package tracker.locks.domain.testing;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import tracker.locks.domain.model.Lock;
import tracker.locks.domain.model.LockId;
import tracker.locks.domain.model.LockKey;
import tracker.locks.domain.model.LockPage;
import tracker.locks.domain.model.PageRequest;
import tracker.locks.domain.model.ServicePatterns;
import tracker.locks.domain.port.out.AcquireOutcome;
import tracker.locks.domain.port.out.LockCandidate;
import tracker.locks.domain.port.out.LockRepository;

/**
 * A fake {@link LockRepository} for tests: the same contract as the database adapters, kept in a map per key. Its
 * clock plays the database's clock.
 */
public final class InMemoryLockRepository implements LockRepository {

    static final Comparator<Lock> OLDEST_FIRST =
            Comparator.comparing(Lock::createdAt).thenComparing(lock -> lock.id().toString());

    private final Clock clock;
    /** Every key ever taken, with its last lock and when that lock ended (null while it may still be held). */
    private final Map<LockKey, Entry> byKey = new HashMap<>();
    private long lastToken;

    public InMemoryLockRepository(Clock clock) {
        this.clock = clock;
    }

    public InMemoryLockRepository() {
        this(Clock.systemUTC());
    }

    @Override
    public synchronized AcquireOutcome acquire(LockCandidate candidate) {
        Entry current = byKey.get(candidate.key());
        Instant now = now();
        if (current != null && current.heldAt(now)) {
            return new AcquireOutcome.KeyHeld(current.lock);
        }
        Instant expiresAt = candidate.ttl() == null ? null : now.plus(candidate.ttl());
        Lock lock = new Lock(candidate.id(), candidate.key(), candidate.who(), now, candidate.eventId(), expiresAt,
                ++lastToken, candidate.owner());
        byKey.put(candidate.key(), new Entry(lock, null));
        return new AcquireOutcome.Acquired(lock);
    }

    @Override
    public synchronized Optional<Lock> findHeld(LockId id) {
        return held(id).map(entry -> entry.lock);
    }

    @Override
    public synchronized Optional<Lock> release(LockId id) {
        Optional<Entry> held = held(id);
        held.ifPresent(entry -> byKey.put(entry.lock.key(), new Entry(entry.lock, now())));
        return held.map(entry -> entry.lock);
    }

    @Override
    public synchronized Optional<Lock> renew(LockId id, Duration ttl) {
        return held(id).map(entry -> {
            Lock lock = entry.lock;
            Lock renewed = new Lock(lock.id(), lock.key(), lock.who(), lock.createdAt(), lock.eventId(),
                    now().plus(ttl), lock.token(), lock.owner());
            byKey.put(lock.key(), new Entry(renewed, null));
            return renewed;
        });
    }

    @Override
    public synchronized LockPage page(PageRequest request, ServicePatterns services) {
        Instant now = now();
        List<Lock> held = byKey.values().stream().filter(e -> e.heldAt(now)).map(e -> e.lock)
                .filter(lock -> services.matches(lock.service()))
                .sorted(OLDEST_FIRST).toList();
        List<Lock> page = held.stream().skip(request.offset()).limit(request.perPage()).toList();
        return new LockPage(page, held.size(), request);
    }

    @Override
    public synchronized int deleteEndedBefore(Duration retention) {
        Instant cutoff = now().minus(retention);
        int deleted = 0;
        for (Iterator<Entry> entries = byKey.values().iterator(); entries.hasNext(); ) {
            Instant ended = entries.next().endedAt();
            if (ended != null && ended.isBefore(cutoff)) {
                entries.remove();
                deleted++;
            }
        }
        return deleted;
    }

    private Optional<Entry> held(LockId id) {
        Instant now = now();
        return byKey.values().stream().filter(e -> e.lock.id().equals(id) && e.heldAt(now)).findFirst();
    }

    private Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MICROS);
    }

    private record Entry(Lock lock, Instant releasedAt) {
        boolean heldAt(Instant now) {
            return releasedAt == null && (lock.expiresAt() == null || lock.expiresAt().isAfter(now));
        }

        Instant endedAt() {
            return releasedAt != null ? releasedAt : lock.expiresAt();
        }
    }
}
