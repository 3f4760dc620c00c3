package tracker.locks.domain.testing;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import tracker.locks.domain.model.HistoryFilter;
import tracker.locks.domain.model.HolderRule;
import tracker.locks.domain.model.Lock;
import tracker.locks.domain.model.LockAction;
import tracker.locks.domain.model.LockEvent;
import tracker.locks.domain.model.LockEventPage;
import tracker.locks.domain.model.LockId;
import tracker.locks.domain.model.LockKey;
import tracker.locks.domain.model.LockPage;
import tracker.locks.domain.model.PageRequest;
import tracker.locks.domain.model.Released;
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
    /**
     * Every place of every key ever taken (a key has one place per holder it may have), with its last lock and when
     * that lock ended (null while it may still be held).
     */
    private final Map<Place, Entry> byKey = new HashMap<>();
    /** The history, oldest first. */
    private final List<LockEvent> events = new ArrayList<>();
    private long lastToken;

    public InMemoryLockRepository(Clock clock) {
        this.clock = clock;
    }

    public InMemoryLockRepository() {
        this(Clock.systemUTC());
    }

    @Override
    public synchronized AcquireOutcome acquire(LockCandidate candidate) {
        Instant now = now();
        List<HolderRule.PlacedHolder> holders = byKey.entrySet().stream()
                .filter(e -> e.getKey().key().equals(candidate.key()) && e.getValue().heldAt(now))
                .map(e -> new HolderRule.PlacedHolder(e.getValue().lock, e.getKey().place()))
                .toList();
        HolderRule.Admission admission = candidate.rule().admit(holders, candidate.yieldsToExclusive());
        if (!admission.admitted()) {
            return new AcquireOutcome.KeyHeld(holders.stream().map(HolderRule.PlacedHolder::holder).toList(),
                    admission.refusal());
        }
        Place place = new Place(candidate.key(), admission.place());
        Entry current = byKey.get(place);
        boolean replacedLapsed = current != null && current.releasedAt == null;
        if (replacedLapsed) {
            record(current.lock, LockAction.EXPIRED, current.lock.expiresAt(), null);
        }
        Instant expiresAt = candidate.ttl() == null ? null : now.plus(candidate.ttl());
        Lock lock = new Lock(candidate.id(), candidate.key(), candidate.who(), now, candidate.eventId(), expiresAt,
                ++lastToken, candidate.owner(), candidate.rule());
        byKey.put(place, new Entry(lock, null));
        record(lock, LockAction.ACQUIRED, now, null);
        return new AcquireOutcome.Acquired(lock, replacedLapsed);
    }

    @Override
    public synchronized Optional<Lock> findHeld(LockId id) {
        return held(id).map(place -> byKey.get(place).lock);
    }

    @Override
    public synchronized Optional<Lock> release(LockId id) {
        return releaseAs(id, null).map(Released::lock);
    }

    @Override
    public synchronized Optional<Released> releaseAsAdmin(LockId id, String admin) {
        return releaseAs(id, Objects.requireNonNull(admin, "admin"));
    }

    private Optional<Released> releaseAs(LockId id, String admin) {
        return held(id).map(placed -> {
            Entry entry = byKey.get(placed);
            Instant now = now();
            boolean forced = admin != null && !admin.equals(entry.lock.owner());
            byKey.put(placed, new Entry(entry.lock, now));
            record(entry.lock, forced ? LockAction.FORCE_RELEASED : LockAction.RELEASED, now, forced ? admin : null);
            return new Released(entry.lock, forced);
        });
    }

    @Override
    public synchronized Optional<Lock> renew(LockId id, Duration ttl) {
        return held(id).map(placed -> {
            Lock lock = byKey.get(placed).lock;
            Lock renewed = new Lock(lock.id(), lock.key(), lock.who(), lock.createdAt(), lock.eventId(),
                    now().plus(ttl), lock.token(), lock.owner(), lock.rule());
            byKey.put(placed, new Entry(renewed, null));
            record(renewed, LockAction.RENEWED, now(), null);
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
            Entry entry = entries.next();
            Instant ended = entry.endedAt();
            if (ended != null && ended.isBefore(cutoff)) {
                if (entry.releasedAt == null) {
                    record(entry.lock, LockAction.EXPIRED, entry.lock.expiresAt(), null);
                }
                entries.remove();
                deleted++;
            }
        }
        return deleted;
    }

    @Override
    public synchronized int endLapsedLeases() {
        Instant now = now();
        List<Map.Entry<Place, Entry>> lapsed = byKey.entrySet().stream()
                .filter(e -> e.getValue().releasedAt == null && !e.getValue().heldAt(now))
                .sorted(Comparator.comparing(e -> e.getValue().lock.token())).toList();
        for (Map.Entry<Place, Entry> placed : lapsed) {
            Entry entry = placed.getValue();
            byKey.put(placed.getKey(), new Entry(entry.lock, entry.lock.expiresAt()));
            record(entry.lock, LockAction.EXPIRED, entry.lock.expiresAt(), null);
        }
        return lapsed.size();
    }

    @Override
    public synchronized LockEventPage history(HistoryFilter filter, PageRequest request) {
        List<LockEvent> matching = new ArrayList<>();
        for (int i = events.size() - 1; i >= 0; i--) {
            LockEvent event = events.get(i);
            LockKey key = event.key();
            if ((filter.service() == null ? filter.within().matches(key.service())
                    : key.service().equals(filter.service()))
                    && (filter.environment() == null || key.environment().equals(filter.environment()))
                    && (filter.resource() == null || key.resource().equals(filter.resource()))) {
                matching.add(event);
            }
        }
        List<LockEvent> page = matching.stream().skip(request.offset()).limit(request.perPage()).toList();
        return new LockEventPage(page, matching.size(), request);
    }

    @Override
    public synchronized List<LockEvent> history(LockId id) {
        return events.stream().filter(event -> event.lockId().equals(id)).toList();
    }

    @Override
    public synchronized int deleteHistoryBefore(Duration retention) {
        Instant cutoff = now().minus(retention);
        int before = events.size();
        events.removeIf(event -> event.at().isBefore(cutoff));
        return before - events.size();
    }

    private void record(Lock lock, LockAction action, Instant at, String by) {
        events.add(new LockEvent(lock.id(), lock.key(), lock.who(), lock.owner(), lock.token(), action, at,
                lock.expiresAt(), by));
    }

    private Optional<Place> held(LockId id) {
        Instant now = now();
        return byKey.entrySet().stream().filter(e -> e.getValue().lock.id().equals(id) && e.getValue().heldAt(now))
                .map(Map.Entry::getKey).findFirst();
    }

    /** One of a key's places: a key with a limit of n, or shared holders, has several. */
    private record Place(LockKey key, int place) {
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
