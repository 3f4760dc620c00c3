package tracker.locks.persistence;

import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.statement.SqlStatement;
import tracker.locks.domain.model.HolderRule;
import tracker.locks.domain.model.Lock;
import tracker.locks.domain.model.LockHeldException;
import tracker.locks.domain.model.LockId;
import tracker.locks.domain.model.LockKey;
import tracker.locks.domain.port.out.AcquireOutcome;
import tracker.locks.domain.port.out.LockCandidate;

/**
 * Acquisitions that join a key's holders (a semaphore's second holder, another shared holder) and the renewals of
 * such holders: they run in a transaction that first locks the key's place-0 row ({@link LockStatements#LOCK_KEY}),
 * so for one key they happen one at a time, and each reads the holders after the lock is taken. The database's
 * lock and unique key on (key, place) keep the holders within the rule; Java only chooses which free place to ask
 * for ({@link HolderRule#admit}), and the statement that takes it refuses a place still held.
 *
 * <p>The single-statement acquisition (the guide's path, batched on PostgreSQL) takes place 0 only when it ended
 * and {@code others_until} — the key's bound on holders in other places — has passed; everything here keeps that
 * bound true: a holder taking another place raises it, a renewal in another place raises it, and taking place 0
 * here sets it from the holders read under the lock.
 */
final class KeyAdmission {

    /** {@code others_until} of a holder without a lease. */
    static final OffsetDateTime FOREVER = OffsetDateTime.of(9999, 12, 31, 0, 0, 0, 0, ZoneOffset.UTC);

    private final LockStatements sql;

    KeyAdmission(LockStatements sql) {
        this.sql = sql;
    }

    /**
     * After the single statement did not take place 0: the key's holders as one statement reads them, and either a
     * refusal (they leave this candidate no room: true at that instant) or, when there may be room, the decision
     * under the key's lock.
     */
    AcquireOutcome afterFirstPlaceRefused(Handle handle, LockCandidate candidate) {
        List<HolderRule.PlacedHolder> holders = holders(handle, candidate.key());
        if (!holders.isEmpty() && !candidate.rule().admit(holders, candidate.yieldsToExclusive()).admitted()) {
            return refusal(holders, candidate);
        }
        return handle.inTransaction(tx -> underKeyLock(tx, candidate));
    }

    private AcquireOutcome underKeyLock(Handle tx, LockCandidate candidate) {
        LockKey key = candidate.key();
        if (bindKey(tx.createQuery(LockStatements.LOCK_KEY), key).mapTo(java.util.UUID.class).findOne().isEmpty()) {
            return new AcquireOutcome.HolderVanished(); // the key's row was reaped meanwhile: the single statement
        }
        List<HolderRule.PlacedHolder> holders = holders(tx, key);
        HolderRule.Admission admission = candidate.rule().admit(holders, candidate.yieldsToExclusive());
        if (!admission.admitted()) {
            return refusal(holders, candidate);
        }
        int place = admission.place();
        Optional<AcquireOutcome.Acquired> taken = bindCandidate(tx.createQuery(sql.takePlace()), candidate)
                .bind("place", place)
                .bind("othersUntil", place == 0 ? othersUntil(holders) : null)
                .map(LockRowMapper.TAKEN)
                .findOne();
        if (taken.isEmpty()) {
            return new AcquireOutcome.HolderVanished(); // not expected under the lock; the caller tries again
        }
        if (place > 0) {
            raiseOthersUntil(tx, key, taken.get().lock().expiresAt());
        }
        return taken.get();
    }

    /**
     * Renews a holder in a place other than 0 under its key's lock, raising the key's bound with it.
     *
     * @param key the holder's key, as read before the lock (an id's key never changes)
     */
    Optional<Lock> renewUnderKey(Handle handle, LockId id, LockKey key, Duration ttl) {
        return handle.inTransaction(tx -> {
            bindKey(tx.createQuery(LockStatements.LOCK_KEY), key).mapTo(java.util.UUID.class).findOne();
            Optional<Lock> renewed = tx.createQuery(sql.renewUnderKey())
                    .bind("id", id.value())
                    .bind("micros", LockDurations.micros(ttl))
                    .bind("now", OffsetDateTime.ofInstant(Instant.now(), ZoneOffset.UTC))
                    .map(LockRowMapper.ROWS)
                    .findOne();
            renewed.ifPresent(lock -> raiseOthersUntil(tx, key, lock.expiresAt()));
            return renewed;
        });
    }

    private static void raiseOthersUntil(Handle tx, LockKey key, Instant until) {
        bindKey(tx.createUpdate(LockStatements.RAISE_OTHERS_UNTIL), key)
                .bind("until", until == null ? FOREVER : OffsetDateTime.ofInstant(until, ZoneOffset.UTC))
                .execute();
    }

    /** The bound on the holders other than place 0's: the latest lease's end, forever when one has none. */
    private static OffsetDateTime othersUntil(List<HolderRule.PlacedHolder> holders) {
        OffsetDateTime until = null;
        for (HolderRule.PlacedHolder placed : holders) {
            Instant end = placed.holder().expiresAt();
            OffsetDateTime bound = end == null ? FOREVER : OffsetDateTime.ofInstant(end, ZoneOffset.UTC);
            if (until == null || bound.isAfter(until)) {
                until = bound;
            }
        }
        return until;
    }

    private static List<HolderRule.PlacedHolder> holders(Handle handle, LockKey key) {
        return bindKey(handle.createQuery(LockStatements.HOLDERS_OF_KEY), key).map(LockRowMapper.PLACED).list();
    }

    private static AcquireOutcome refusal(List<HolderRule.PlacedHolder> holders, LockCandidate candidate) {
        LockHeldException.Reason why = candidate.rule().admit(holders, candidate.yieldsToExclusive()).refusal();
        return new AcquireOutcome.KeyHeld(holders.stream().map(HolderRule.PlacedHolder::holder).toList(), why);
    }

    static <S extends SqlStatement<S>> S bindKey(S statement, LockKey key) {
        return statement.bind("service", key.service())
                .bind("environment", key.environment())
                .bind("resource", key.resource());
    }

    /** Binds what every acquisition statement binds ({@link LockStatements#acquire}). */
    static <S extends SqlStatement<S>> S bindCandidate(S statement, LockCandidate candidate) {
        return bindKey(statement, candidate.key())
                .bind("id", candidate.id().value())
                .bind("who", candidate.who())
                .bind("eventId", candidate.eventId())
                .bind("owner", candidate.owner())
                .bind("limit", candidate.rule().limit())
                .bind("mode", candidate.rule().mode().wireName())
                .bind("micros", LockDurations.microsOrNull(candidate.ttl()));
    }
}
