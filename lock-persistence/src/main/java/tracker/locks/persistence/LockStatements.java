package tracker.locks.persistence;

import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.HandleCallback;

/**
 * The SQL of the lock store on one database: the reads every database shares are the constants here, each dialect's
 * writes the components ({@link H2Statements}, {@link PostgresStatements}). Every statement is a single one, so each
 * is atomic on its own, and leases are judged by the database's clock. All of them run through Jdbi's fluent API,
 * bound by name.
 *
 * @param acquire                inserts the key's row, or takes over its row when that lock ended (released, or
 *                               lease passed), drawing the token after the row is locked; returns the lock taken
 *                               (with {@code replaced_lapsed}: whether its predecessor's lease had run out unnoticed),
 *                               or no row when the key is held. Binds {@code :id, :service, :environment, :resource,
 *                               :who, :eventId, :owner} and {@code :micros} (the lease, null for none)
 * @param release                ends the lock held under {@code :id}; returns it, or no row when none was held
 * @param releaseAsAdmin         {@code release} by the admin {@code :admin}: a force-release, recorded with the
 *                               admin's name, unless the admin owns the lock; returns it with its {@code end_reason}
 * @param endLapsedLeases        ends the locks whose lease has passed (their end: the lease's end), so that the
 *                               history records their expiry; returns how many
 * @param deleteHistoryBefore    deletes the history events older than {@code :micros}; returns how many (a query)
 * @param renew                  sets the lease of the lock held under {@code :id} to {@code :micros} from now;
 *                               returns it, or no row
 * @param deleteEndedBefore      deletes the rows of locks that ended more than {@code :micros} ago (the reaper)
 * @param ownTransactions        whether each write runs in a transaction of its own rather than as an autocommitted
 *                               statement: on H2 a query over a data change ({@code FINAL TABLE}) whose history
 *                               trigger fails keeps its change in autocommit mode (seen on 2.4.240), in a
 *                               transaction it is rolled back; PostgreSQL undoes a failed statement by itself
 * @param takePlace              takes the place {@code :place} of the key for the candidate (bound as for
 *                               {@code acquire}, with {@code :othersUntil} for place 0) if its row is free or ended;
 *                               run only under the key's lock, after {@link KeyAdmission} chose the place
 * @param renewUnderKey          {@code renew} for a holder in a place other than 0, run under the key's lock: the
 *                               lease is judged at {@code :now} (after the wait for the lock, not when the transaction
 *                               began), so a holder another acquisition just counted as gone cannot come back
 * @param statementTimeoutPrefix what, followed by milliseconds, makes a connection cancel any statement running
 *                               longer: the database then fails it with SQLState 57014, which the repository reports
 *                               as "store unavailable"
 */
record LockStatements(String acquire, String release, String releaseAsAdmin, String renew,
                      String deleteEndedBefore, String endLapsedLeases, String deleteHistoryBefore,
                      boolean ownTransactions, String statementTimeoutPrefix, String takePlace,
                      String renewUnderKey) {

    /** The columns every statement that returns locks returns; {@link LockRowMapper} reads them by name. */
    static final String COLUMNS =
            "id, service, environment, resource, who, event_id, created_at, expires_at, token, owner, holder_limit,"
                    + " holder_mode";

    /** What an acquisition returns besides the lock: whether it replaced a lock whose lease ran out unnoticed. */
    static final String TAKEN_COLUMNS = COLUMNS + ", replaced_lapsed";

    /** What a taking-over acquisition sets besides the new lock: no end yet, and what it replaced. */
    static final String TAKE_OVER_MARKS =
            "end_reason = NULL, ended_by = NULL, replaced_lapsed = (l.released_at IS NULL)";

    /**
     * When a key's place 0 may be taken by the single statement: its lock ended, and no holder in another place can
     * still hold ({@code others_until}, an upper bound, has passed). Otherwise the acquisition decides under the
     * key's lock ({@link KeyAdmission}).
     */
    static final String FIRST_PLACE_FREE = """
            (l.released_at IS NOT NULL OR l.expires_at <= CURRENT_TIMESTAMP)
            AND (l.others_until IS NULL OR l.others_until <= CURRENT_TIMESTAMP)""";

    /** {@code others_until} for a holder without a lease: it may last for ever. */
    static final String FOREVER = "TIMESTAMP WITH TIME ZONE '9999-12-31 00:00:00+00:00'";

    /** Locks the key's place-0 row, which every acquisition that adds a holder takes first. */
    static final String LOCK_KEY = """
            SELECT id FROM locks
            WHERE service = :service AND environment = :environment AND resource = :resource AND place = 0
            FOR UPDATE""";

    /** The held locks of the key, with their places; read under the key's lock. */
    static final String HOLDERS_OF_KEY = """
            SELECT %s, place FROM locks
            WHERE service = :service AND environment = :environment AND resource = :resource AND %s
            ORDER BY token""".formatted(COLUMNS, LockStatements.HELD);

    /**
     * Raises the key's {@code others_until} to {@code :until} (a holder in another place lasts until then): run with
     * the key's lock held, in the same transaction as what made that holder last.
     */
    static final String RAISE_OTHERS_UNTIL = """
            UPDATE locks SET others_until = CASE WHEN others_until IS NULL OR others_until < :until THEN :until
                                                 ELSE others_until END
            WHERE service = :service AND environment = :environment AND resource = :resource AND place = 0""";

    /** How an admin's release ends a lock: forced unless the admin owns it. */
    static final String ADMIN_END = """
            end_reason = CASE WHEN owner IS NOT DISTINCT FROM CAST(:admin AS VARCHAR(255)) THEN 'released'
                              ELSE 'force-released' END,
            ended_by = CASE WHEN owner IS NOT DISTINCT FROM CAST(:admin AS VARCHAR(255)) THEN NULL
                            ELSE CAST(:admin AS VARCHAR(255)) END""";

    /** The columns of a history event; {@link LockEventRowMapper} reads them by name. */
    static final String EVENT_COLUMNS =
            "lock_id, service, environment, resource, who, owner, token, action, happened_at, expires_at, by_principal";

    /**
     * The history's events of the locks {@code eventCondition} admits in {@code lock_events} and
     * {@code lockCondition} in {@code locks} (the same condition, over each table's names): a row of
     * {@code lock_events} with {@code acquired_at} is a lock's life and stands for two events, its acquisition and
     * its end; a lock not ended yet is only in {@code locks}, which holds its acquisition. {@code step} orders an
     * acquisition before what follows it at the same instant.
     */
    private static String events(String eventCondition, String lockCondition) {
        return """
                SELECT lock_id, service, environment, resource, who, owner, token, 'acquired' AS action,
                       acquired_at AS happened_at, acquired_expires_at AS expires_at,
                       CAST(NULL AS VARCHAR(255)) AS by_principal, 0 AS step
                FROM lock_events WHERE acquired_at IS NOT NULL AND %1$s
                UNION ALL
                SELECT %3$s, 1 AS step FROM lock_events WHERE %1$s
                UNION ALL
                SELECT id, service, environment, resource, who, owner, token, 'acquired', created_at,
                       granted_expires_at, NULL, 0
                FROM locks WHERE released_at IS NULL AND %2$s""".formatted(eventCondition, lockCondition,
                EVENT_COLUMNS);
    }

    /** The life of the acquisition {@code :id}, oldest first. */
    static final String HISTORY_OF_LOCK = """
            SELECT * FROM (%s) e ORDER BY happened_at, token, step""".formatted(events("lock_id = :id", "id = :id"));

    /** {@code :limit} events after the first {@code :offset} of the keys {@code condition} admits, newest first. */
    static String historyPage(String condition) {
        return """
                SELECT * FROM (%s) e ORDER BY happened_at DESC, token DESC, step DESC LIMIT :limit OFFSET :offset"""
                .formatted(events(condition, condition));
    }

    /** How many events the keys {@code condition} admits have. */
    static String countHistory(String condition) {
        return """
                SELECT (SELECT COUNT(*) + COUNT(acquired_at) FROM lock_events WHERE %1$s)
                     + (SELECT COUNT(*) FROM locks WHERE released_at IS NULL AND %1$s)""".formatted(condition);
    }

    /** Held: not released, and no lease or a lease that has not passed by the database's clock. */
    static final String HELD = "released_at IS NULL AND (expires_at IS NULL OR expires_at > CURRENT_TIMESTAMP)";

    /** The lock held under {@code :id}. */
    static final String FIND_HELD = """
            SELECT %s FROM locks WHERE id = :id AND %s""".formatted(COLUMNS, HELD);

    /** The locks holding the key {@code :service, :environment, :resource}, oldest first. */
    static final String FIND_HELD_BY_KEY = """
            SELECT %s FROM locks
            WHERE service = :service AND environment = :environment AND resource = :resource AND %s
            ORDER BY token"""
            .formatted(COLUMNS, HELD);

    /**
     * {@code :limit} held locks after the first {@code :offset}, oldest first, of the services {@code condition}
     * admits ({@link ServiceFilter}).
     */
    static String page(String condition) {
        return """
                SELECT %s FROM locks WHERE %s AND %s ORDER BY created_at, id LIMIT :limit OFFSET :offset"""
                .formatted(COLUMNS, HELD, condition);
    }

    /** How many locks are held of the services {@code condition} admits. */
    static String countHeld(String condition) {
        return """
                SELECT COUNT(*) FROM locks WHERE %s AND %s""".formatted(HELD, condition);
    }

    /** Runs {@code write} on {@code handle} so that it changes everything or nothing ({@code ownTransactions}). */
    <T> T atomically(Handle handle, HandleCallback<T, RuntimeException> write) {
        return ownTransactions ? handle.inTransaction(write) : write.withHandle(handle);
    }

    /** The statement that cancels statements running longer than {@code millis}. */
    String statementTimeout(long millis) {
        return statementTimeoutPrefix + millis;
    }
}
