package tracker.locks.domain.model;

import java.time.Duration;
import java.util.Objects;

/**
 * The server's limits on leases and waiting.
 *
 * @param maxTtl     the longest lease a client may ask for
 * @param defaultTtl the lease of a lock created without one, or null: such locks live until released (the guide's
 *                   behaviour)
 * @param maxWait    the longest a client may wait for a held key
 * @param retention  how long ended locks are kept before the reaper deletes them; longer than any statement can
 *                   run, so a key's tokens keep growing across the deletion (see the persistence adapter)
 * @param historyRetention how long the lock history keeps an event before the reaper prunes it
 */
public record LockPolicy(Duration maxTtl, Duration defaultTtl, Duration maxWait, Duration retention,
                         Duration historyRetention) {

    /** How long the history keeps its events unless told otherwise. */
    public static final Duration DEFAULT_HISTORY_RETENTION = Duration.ofDays(30);

    /** 24 h leases at most, no default lease, 60 s waits at most, ended locks kept 5 minutes, history 30 days. */
    public static final LockPolicy DEFAULTS =
            new LockPolicy(Duration.ofHours(24), null, Duration.ofSeconds(60), Duration.ofMinutes(5));

    /** The history kept {@link #DEFAULT_HISTORY_RETENTION}. */
    public LockPolicy(Duration maxTtl, Duration defaultTtl, Duration maxWait, Duration retention) {
        this(maxTtl, defaultTtl, maxWait, retention, DEFAULT_HISTORY_RETENTION);
    }

    public LockPolicy {
        Objects.requireNonNull(maxTtl, "maxTtl");
        Objects.requireNonNull(maxWait, "maxWait");
        Objects.requireNonNull(retention, "retention");
        Objects.requireNonNull(historyRetention, "historyRetention");
        if (defaultTtl != null && defaultTtl.compareTo(maxTtl) > 0) {
            throw new IllegalArgumentException("the default TTL " + defaultTtl + " exceeds the maximum " + maxTtl);
        }
    }

    /** The lease to grant: the asked one, else the default; null for none. */
    public Duration leaseFor(Duration asked) {
        Duration ttl = asked != null ? asked : defaultTtl;
        if (ttl != null && ttl.compareTo(maxTtl) > 0) {
            throw new InvalidLockRequestException("ttl",
                    "ttl must be at most " + Durations.describe(maxTtl) + ", got " + Durations.describe(ttl));
        }
        return ttl;
    }

    /** How long to wait: zero when not asked. */
    public Duration waitFor(Duration asked) {
        if (asked == null) {
            return Duration.ZERO;
        }
        if (asked.compareTo(maxWait) > 0) {
            throw new InvalidLockRequestException("wait",
                    "wait must be at most " + Durations.describe(maxWait) + ", got " + Durations.describe(asked));
        }
        return asked;
    }
}
