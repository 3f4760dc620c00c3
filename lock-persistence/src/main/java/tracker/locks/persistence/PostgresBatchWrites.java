package tracker.locks.persistence;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Function;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.JdbiException;
import tracker.locks.domain.model.HolderRule;
import tracker.locks.domain.model.Lock;
import tracker.locks.domain.model.LockId;
import tracker.locks.domain.model.LockKey;
import tracker.locks.domain.port.out.AcquireOutcome;
import tracker.locks.domain.port.out.LockCandidate;

/**
 * Acquisitions and releases on PostgreSQL, combined under load: the requests that queue up while earlier statements
 * run go to the database together, as one statement over arrays ({@link PostgresStatements#ACQUIRE_MANY},
 * {@link PostgresStatements#RELEASE_MANY}). Each row of such a statement is the same atomic step as the single-row
 * statement, so every request gets the answer it would have got alone, at a point between its call and its return.
 *
 * <p>Several requests for one key in one batch: the first goes into the statement, the others lose to whoever holds
 * the key after it — as if they had come just after. Several releases of one id: the first releases, the others find
 * nothing held. Should PostgreSQL still report a deadlock (a statement of someone else's locking rows in another
 * order), the batch is run again one request at a time.
 */
final class PostgresBatchWrites implements LockWrites {


    private final Jdbi jdbi;
    private final SingleStatementWrites oneByOne;
    private final StatementCombiner<LockCandidate, AcquireOutcome> acquisitions;
    private final StatementCombiner<LockId, Optional<Lock>> releases;
    private final KeyAdmission admission = new KeyAdmission(PostgresStatements.STATEMENTS);

    /**
     * @param runners  how many statements of each kind may run at once; the rest queue and go together
     * @param maxBatch the most requests in one statement
     */
    PostgresBatchWrites(Jdbi jdbi, int runners, int maxBatch) {
        this.jdbi = jdbi;
        this.oneByOne = new SingleStatementWrites(jdbi, PostgresStatements.STATEMENTS, Durability.AT_COMMIT);
        this.acquisitions = new StatementCombiner<>(
                candidates -> orOneByOne(candidates, this::acquireAll, oneByOne::acquire), runners, maxBatch);
        this.releases = new StatementCombiner<>(
                ids -> orOneByOne(ids, this::releaseAll, oneByOne::release), runners, maxBatch);
    }

    @Override
    public AcquireOutcome acquire(LockCandidate candidate) {
        return acquisitions.submit(candidate);
    }

    @Override
    public Optional<Lock> release(LockId id) {
        return releases.submit(id);
    }

    private static <Q, A> List<A> orOneByOne(List<Q> requests, Function<List<Q>, List<A>> together,
                                             Function<Q, A> alone) {
        if (requests.size() == 1) {
            return List.of(alone.apply(requests.get(0)));
        }
        try {
            return together.apply(requests);
        } catch (JdbiException e) {
            if (!SqlFailures.isDeadlock(e)) {
                throw e;
            }
            // The statement failed as a whole and changed nothing: each request may simply run again on its own.
            return requests.stream().map(alone).toList();
        }
    }

    /** One batch, as a runner sends it; package-private, so that a test can send a batch of its choosing. */
    List<AcquireOutcome> acquireAll(List<LockCandidate> candidates) {
        Map<LockKey, LockCandidate> firstOfKey = new LinkedHashMap<>();
        candidates.forEach(candidate -> firstOfKey.putIfAbsent(candidate.key(), candidate));
        return jdbi.withHandle(handle -> {
            Map<UUID, AcquireOutcome.Acquired> taken = new HashMap<>();
            acquireMany(handle, firstOfKey.values()).forEach(row -> taken.put(row.lock().id().value(), row));
            List<LockKey> lost = candidates.stream().filter(c -> !taken.containsKey(c.id().value()))
                    .map(LockCandidate::key).distinct().toList();
            Map<LockKey, List<HolderRule.PlacedHolder>> holders = lost.isEmpty() ? Map.of()
                    : byKey(findHeld(handle, lost));
            List<AcquireOutcome> outcomes = new ArrayList<>(candidates.size());
            for (LockCandidate candidate : candidates) {
                AcquireOutcome.Acquired mine = taken.get(candidate.id().value());
                outcomes.add(mine != null ? mine
                        : lostFirstPlace(handle, candidate, holders.getOrDefault(candidate.key(), List.of())));
            }
            return outcomes;
        });
    }

    /**
     * A candidate whose key's place 0 the statement did not give it: refused when the holders leave it no room (as
     * if it had come just after the batch), else decided under the key's lock — a semaphore's or shared key's
     * next holder, or a key whose holders have all gone.
     */
    private AcquireOutcome lostFirstPlace(Handle handle, LockCandidate candidate,
                                          List<HolderRule.PlacedHolder> holders) {
        HolderRule.Admission admitted = candidate.rule().admit(holders, candidate.yieldsToExclusive());
        if (!holders.isEmpty() && !admitted.admitted()) {
            return new AcquireOutcome.KeyHeld(holders.stream().map(HolderRule.PlacedHolder::holder).toList(),
                    admitted.refusal());
        }
        return admission.afterFirstPlaceRefused(handle, candidate);
    }

    private static List<AcquireOutcome.Acquired> acquireMany(Handle handle, Collection<LockCandidate> candidates) {
        int n = candidates.size();
        UUID[] ids = new UUID[n];
        String[] services = new String[n];
        String[] environments = new String[n];
        String[] resources = new String[n];
        String[] whos = new String[n];
        String[] eventIds = new String[n];
        String[] owners = new String[n];
        Long[] micros = new Long[n];
        Integer[] limits = new Integer[n];
        String[] modes = new String[n];
        int i = 0;
        for (LockCandidate candidate : candidates) {
            ids[i] = candidate.id().value();
            services[i] = candidate.key().service();
            environments[i] = candidate.key().environment();
            resources[i] = candidate.key().resource();
            whos[i] = candidate.who();
            eventIds[i] = candidate.eventId();
            owners[i] = candidate.owner();
            micros[i] = LockDurations.microsOrNull(candidate.ttl());
            limits[i] = candidate.rule().limit();
            modes[i] = candidate.rule().mode().wireName();
            i++;
        }
        return handle.createQuery(PostgresStatements.ACQUIRE_MANY)
                .bind("ids", ids)
                .bind("services", services)
                .bind("environments", environments)
                .bind("resources", resources)
                .bind("whos", whos)
                .bind("eventIds", eventIds)
                .bind("owners", owners)
                .bind("micros", micros)
                .bind("limits", limits)
                .bind("modes", modes)
                .map(LockRowMapper.TAKEN)
                .list();
    }

    private static List<HolderRule.PlacedHolder> findHeld(Handle handle, List<LockKey> keys) {
        return handle.createQuery(PostgresStatements.FIND_HELD_BY_KEYS)
                .bind("services", keys.stream().map(LockKey::service).toArray(String[]::new))
                .bind("environments", keys.stream().map(LockKey::environment).toArray(String[]::new))
                .bind("resources", keys.stream().map(LockKey::resource).toArray(String[]::new))
                .map(LockRowMapper.PLACED)
                .list();
    }

    /** One batch, as a runner sends it; package-private, so that a test can send a batch of its choosing. */
    List<Optional<Lock>> releaseAll(List<LockId> ids) {
        Map<UUID, Lock> released = new HashMap<>();
        jdbi.withHandle(handle -> handle.createQuery(PostgresStatements.RELEASE_MANY)
                        .bind("ids", ids.stream().map(LockId::value).toArray(UUID[]::new))
                        .map(LockRowMapper.ROWS)
                        .list())
                .forEach(lock -> released.put(lock.id().value(), lock));
        // remove(): of two releases of one id, only the first finds the lock.
        return ids.stream().map(id -> Optional.ofNullable(released.remove(id.value()))).toList();
    }

    /** The holders by key, oldest first. */
    private static Map<LockKey, List<HolderRule.PlacedHolder>> byKey(List<HolderRule.PlacedHolder> holders) {
        Map<LockKey, List<HolderRule.PlacedHolder>> byKey = new HashMap<>();
        holders.stream().sorted(java.util.Comparator.comparingLong(h -> h.holder().token()))
                .forEach(h -> byKey.computeIfAbsent(h.holder().key(), k -> new ArrayList<>()).add(h));
        return byKey;
    }
}
