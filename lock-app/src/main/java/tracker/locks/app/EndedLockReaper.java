package tracker.locks.app;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tracker.locks.domain.port.in.LockMaintenance;

/**
 * Deletes the rows of locks that ended (released or expired) long enough ago, every few seconds on every instance.
 * Expired locks are already free without it; it only keeps the table small.
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
            int deleted = locks.deleteEndedLocks();
            LOG.debug("reaper deleted {} ended locks", deleted);
        } catch (RuntimeException e) {
            LOG.warn("reaper could not delete ended locks: {}", e.getMessage());
        }
    }
}
