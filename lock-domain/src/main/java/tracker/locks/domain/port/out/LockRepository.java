package tracker.locks.domain.port.out;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import tracker.locks.domain.model.HistoryFilter;
import tracker.locks.domain.model.Lock;
import tracker.locks.domain.model.LockEvent;
import tracker.locks.domain.model.LockEventPage;
import tracker.locks.domain.model.LockId;
import tracker.locks.domain.model.LockPage;
import tracker.locks.domain.model.PageRequest;
import tracker.locks.domain.model.Released;
import tracker.locks.domain.model.ServicePatterns;

/**
 * Port out: where locks are kept. Mutual exclusion is the store's job: {@link #acquire} must be a single atomic step
 * guarded by a unique key, never a read followed by a write. Leases are judged by the store's clock.
 *
 * <p>A lock is <em>held</em> from its acquisition until it is released or its lease passes; only held locks are
 * found, listed, released or renewed.
 *
 * <p>The store keeps the history of its locks ({@link LockEvent}): every acquisition, renewal, release and expiry is
 * recorded in the same transaction as the change itself — a change whose record cannot be written fails with it.
 */
public interface LockRepository {

    /**
     * Takes the candidate's key if it is free — never taken, released, or with a lease that has passed — in one
     * atomic step, drawing a token greater than any drawn before for that key.
     */
    AcquireOutcome acquire(LockCandidate candidate);

    Optional<Lock> findHeld(LockId id);

    /** Ends a held lock. @return the lock that was released, or empty when none was held under that id */
    Optional<Lock> release(LockId id);

    /**
     * Ends a held lock on behalf of the admin {@code admin}: a force-release when the lock's owner is someone else
     * (recorded with the admin's name), a plain release when it is the admin's own.
     */
    Optional<Released> releaseAsAdmin(LockId id, String admin);

    /** Extends a held lock's lease to {@code ttl} from now. @return the renewed lock, or empty when none was held */
    Optional<Lock> renew(LockId id, Duration ttl);

    /**
     * A page of the held locks of the services {@code services} matches, ordered by creation time, then id; total
     * counts every such lock.
     */
    LockPage page(PageRequest request, ServicePatterns services);

    /**
     * Forgets locks that ended (released or expired) more than {@code retention} ago.
     *
     * @return how many were forgotten
     */
    int deleteEndedBefore(Duration retention);

    /**
     * Ends the locks whose lease has run out and records their expiry (the lease's end as its time).
     *
     * @return how many expiries were recorded
     */
    int endLapsedLeases();

    /** A page of the history of the keys {@code filter} names, newest first. */
    LockEventPage history(HistoryFilter filter, PageRequest page);

    /** The life of one acquisition, oldest first; empty when the history holds nothing of it. */
    List<LockEvent> history(LockId id);

    /** Prunes history events older than {@code retention}. @return how many were pruned */
    int deleteHistoryBefore(Duration retention);
}
