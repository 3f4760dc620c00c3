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

    /** How many clients of this instance wait for a held key right now (a gauge on the admin port). */
    int waiting();
}
