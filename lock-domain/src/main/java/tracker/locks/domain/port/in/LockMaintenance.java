package tracker.locks.domain.port.in;

/** Port in: what the server itself does with its locks besides serving clients — clean-up and what it reports. */
public interface LockMaintenance {

    /**
     * Forgets locks that ended (released, or lease passed) longer ago than the policy's retention; each instance's
     * reaper calls this periodically.
     *
     * @return how many were forgotten
     */
    int deleteEndedLocks();

    /**
     * Ends the locks whose lease has run out and records their expiry in the history; each instance's reaper calls
     * this periodically, so an expiry is recorded soon even when nobody takes the key.
     *
     * @return how many expiries were recorded
     */
    int endLapsedLeases();

    /** Prunes the history of events older than the policy's history retention. @return how many were pruned */
    int pruneHistory();

    /** How many expiries this instance has recorded since it started (the reaper's, and acquisitions'). */
    long expirations();

    /** How many locks are held now through every instance, and the oldest one's age (gauges on the admin port). */
    tracker.locks.domain.model.HeldLocks held();

    /** How many clients of this instance wait for a held key right now (a gauge on the admin port). */
    int waiting();

    /**
     * The server is shutting down: every client waiting on this instance is answered at once, and so is any later
     * request that would wait, with {@link tracker.locks.domain.model.ServiceStoppingException}, so they can go to
     * another instance instead of being cut off at the exit. Requests that do not wait are still served.
     */
    void stopWaiting();
}
