package tracker.locks.domain;

import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** A fake {@link LockRepository} for tests: the same contract as the database adapters, kept in two maps. */
public final class InMemoryLockRepository implements LockRepository {

    static final Comparator<Lock> OLDEST_FIRST =
            Comparator.comparing(Lock::createdAt).thenComparing(lock -> lock.id().toString());

    private final Map<LockKey, Lock> byKey = new HashMap<>();
    private final Map<LockId, Lock> byId = new HashMap<>();

    @Override
    public synchronized InsertOutcome insertIfKeyFree(Lock candidate) {
        Lock holder = byKey.putIfAbsent(candidate.key(), candidate);
        if (holder != null) {
            return new InsertOutcome.KeyHeld(holder);
        }
        byId.put(candidate.id(), candidate);
        return new InsertOutcome.Inserted(candidate);
    }

    @Override
    public synchronized Optional<Lock> findById(LockId id) {
        return Optional.ofNullable(byId.get(id));
    }

    @Override
    public synchronized boolean deleteById(LockId id) {
        Lock removed = byId.remove(id);
        if (removed == null) {
            return false;
        }
        byKey.remove(removed.key());
        return true;
    }

    @Override
    public synchronized LockPage page(PageRequest request) {
        List<Lock> page = byId.values().stream()
                .sorted(OLDEST_FIRST)
                .skip(request.offset())
                .limit(request.perPage())
                .toList();
        return new LockPage(page, byId.size(), request);
    }
}
