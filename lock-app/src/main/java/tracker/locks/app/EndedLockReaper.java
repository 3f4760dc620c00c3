package tracker.locks.app;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tracker.locks.domain.port.in.LockMaintenance;

/**
 * Every few seconds on every instance: records the expiry of leases that ran out (the history has them soon even
 * when nobody takes the key again), deletes the rows of locks that ended long enough ago, and prunes the history
 * past its retention. Expired locks are already free without it.
 */
final class EndedLockReaper implements Runnable {

    private static final Logger LOG = LoggerFactory.getLogger(EndedLockReaper.class);

    private final LockMaintenance locks;

    EndedLockReaper(LockMaintenance locks) {
        this.locks = locks;
    }

    @Override
    public void run() {
        // A scheduled task that throws is never run again: a database outage must not end the reaping for good.
        try {
            int expired = locks.endLapsedLeases();
            int deleted = locks.deleteEndedLocks();
            int pruned = locks.pruneHistory();
            LOG.debug("reaper: {} leases expired, {} ended locks deleted, {} history events pruned", expired, deleted,
                    pruned);
        } catch (RuntimeException e) {
            LOG.warn("reaper could not end, delete or prune: {}", e.getMessage());
        }
    }
}
