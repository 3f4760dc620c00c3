package tracker.locks.persistence;

import static tracker.locks.persistence.LockStatements.ADMIN_END;
import static tracker.locks.persistence.LockStatements.COLUMNS;
import static tracker.locks.persistence.LockStatements.FIRST_PLACE_FREE;
import static tracker.locks.persistence.LockStatements.HELD;
import static tracker.locks.persistence.LockStatements.TAKEN_COLUMNS;
import static tracker.locks.persistence.LockStatements.TAKE_OVER_MARKS;

/**
 * The writes of the lock store on PostgreSQL: each single-request statement, and the statements over arrays that
 * serve a batch of requests at once ({@link PostgresBatchWrites}). Releases announce themselves ({@code NOTIFY}) to
 * every instance in the same statement.
 */
final class PostgresStatements {

    /** The channel on which releases are announced, for clients waiting on other instances. */
    static final String RELEASED_CHANNEL = "tracker_lock_released";

    /** {@code :micros} as an interval; null stays null (no lease). */
    private static final String MICROS = "CAST(:micros AS BIGINT) * INTERVAL '1 microsecond'";

    /**
     * The order in which statements that touch several keys lock their rows. Byte order ("C"), so it does not depend
     * on the database's collation: two batches never wait for each other in a cycle.
     */
    private static final String KEY_ORDER = "service COLLATE \"C\", environment COLLATE \"C\", resource COLLATE \"C\"";

    /**
     * {@link #KEY_ORDER} for the rows of holders: a key's places in order, place 0 first, as the acquisitions and
     * renewals under the key's lock take them ({@link KeyAdmission}).
     */
    private static final String HOLDER_ORDER = KEY_ORDER + ", place";

    /**
     * The end of every acquisition: a key's row that exists is taken over only when its lock ended (released, or
     * lease passed), the token drawn after the row is locked — later than the previous holder's; the rows taken are
     * returned.
     */
    private static final String TAKE_OVER_ENDED = takeOver(FIRST_PLACE_FREE);

    /** The take-over of an ended row of the key's place, when {@code condition} holds of the row ({@code l}). */
    private static String takeOver(String condition) {
        return """
            ON CONFLICT (service, environment, resource, place) DO UPDATE
              SET id = EXCLUDED.id, who = EXCLUDED.who, event_id = EXCLUDED.event_id, created_at = EXCLUDED.created_at,
                  expires_at = EXCLUDED.expires_at, granted_expires_at = EXCLUDED.expires_at,
                  token = nextval('lock_tokens'), released_at = NULL,
                  owner = EXCLUDED.owner, holder_limit = EXCLUDED.holder_limit, holder_mode = EXCLUDED.holder_mode,
                  others_until = EXCLUDED.others_until, %s
              WHERE %s
            RETURNING %s""".formatted(TAKE_OVER_MARKS, condition, TAKEN_COLUMNS);
    }

    /**
     * The end of every release (after a CTE {@code released} that ended locks): each release announced on
     * {@link #RELEASED_CHANNEL} when someone waits for its key (the schema's {@code tracker_announce_release}: a
     * NOTIFY serializes commits, so releases nobody waits for are not announced).
     */
    private static final String ANNOUNCED = announced(COLUMNS);

    /** {@link #ANNOUNCED}, the release returning {@code columns}. */
    private static String announced(String columns) {
        return """
                  RETURNING %s)
                SELECT released.*,
                       tracker_announce_release(released.service, released.environment, released.resource)
                FROM released""".formatted(columns);
    }

    private static final String ACQUIRE = """
            INSERT INTO locks AS l (%s, granted_expires_at)
            VALUES (:id, :service, :environment, :resource, :who, :eventId, CURRENT_TIMESTAMP,
                    CURRENT_TIMESTAMP + %2$s, nextval('lock_tokens'), :owner, :limit, :mode, CURRENT_TIMESTAMP + %2$s)
            """.formatted(COLUMNS, MICROS) + TAKE_OVER_ENDED;

    /** The place {@code :place} of the key, under the key's lock ({@link LockStatements#takePlace}). */
    private static final String TAKE_PLACE = """
            INSERT INTO locks AS l (%s, granted_expires_at, place, others_until)
            VALUES (:id, :service, :environment, :resource, :who, :eventId, CURRENT_TIMESTAMP,
                    CURRENT_TIMESTAMP + %2$s, nextval('lock_tokens'), :owner, :limit, :mode, CURRENT_TIMESTAMP + %2$s,
                    :place, CAST(:othersUntil AS TIMESTAMP WITH TIME ZONE))
            """.formatted(COLUMNS, MICROS)
            + takeOver("l.released_at IS NOT NULL OR l.expires_at <= CURRENT_TIMESTAMP");

    /**
     * {@link LockStatements#renewUnderKey}: the later of the statement's start (after the wait for the key's lock)
     * and this instance's clock — a clock ahead of the database's only refuses a renewal sooner.
     */
    private static final String RENEW_UNDER_KEY = """
            UPDATE locks SET expires_at = CURRENT_TIMESTAMP + %s
            WHERE id = :id AND released_at IS NULL
              AND (expires_at IS NULL
                   OR expires_at > GREATEST(statement_timestamp(), CAST(:now AS TIMESTAMP WITH TIME ZONE)))
            RETURNING %s, place""".formatted(MICROS, COLUMNS);

    private static final String RELEASE = """
            WITH released AS (
              UPDATE locks SET released_at = CURRENT_TIMESTAMP, end_reason = 'released' WHERE id = :id AND %s
            """.formatted(HELD) + ANNOUNCED;

    private static final String RELEASE_AS_ADMIN = """
            WITH released AS (
              UPDATE locks SET released_at = CURRENT_TIMESTAMP, %s WHERE id = :id AND %s
            """.formatted(ADMIN_END, HELD) + announced(COLUMNS + ", end_reason");

    /**
     * {@link #ACQUIRE} for many candidates of distinct keys at once: the candidates come as the parallel arrays
     * {@code :ids, :services, :environments, :resources, :whos, :eventIds, :micros, :owners} and are taken in key
     * order.
     * Returns the rows taken.
     */
    static final String ACQUIRE_MANY = """
            INSERT INTO locks AS l (%s, granted_expires_at)
            SELECT c.id, c.service, c.environment, c.resource, c.who, c.event_id, CURRENT_TIMESTAMP,
                   CURRENT_TIMESTAMP + c.micros * INTERVAL '1 microsecond', nextval('lock_tokens'), c.owner,
                   c.holder_limit, c.holder_mode, CURRENT_TIMESTAMP + c.micros * INTERVAL '1 microsecond'
            FROM unnest(CAST(:ids AS uuid[]), CAST(:services AS varchar[]), CAST(:environments AS varchar[]),
                        CAST(:resources AS varchar[]), CAST(:whos AS varchar[]), CAST(:eventIds AS varchar[]),
                        CAST(:micros AS bigint[]), CAST(:owners AS varchar[]), CAST(:limits AS int[]),
                        CAST(:modes AS varchar[]))
                 AS c(id, service, environment, resource, who, event_id, micros, owner, holder_limit, holder_mode)
            ORDER BY %s
            """.formatted(COLUMNS, KEY_ORDER) + TAKE_OVER_ENDED;

    /**
     * The held locks of the keys in the arrays {@code :services, :environments, :resources}: the holders a batch of
     * candidates lost to.
     */
    static final String FIND_HELD_BY_KEYS = """
            SELECT %s, place FROM locks
            WHERE (service, environment, resource) IN (SELECT * FROM unnest(CAST(:services AS varchar[]),
                     CAST(:environments AS varchar[]), CAST(:resources AS varchar[])))
              AND %s""".formatted(COLUMNS, HELD);

    /**
     * {@link #RELEASE} for the ids in the array {@code :ids}: locks the rows in key order first, like {@link #ACQUIRE_MANY}, then ends
     * them and announces each release. Returns the locks released.
     */
    static final String RELEASE_MANY = """
            WITH released AS (
              UPDATE locks SET released_at = CURRENT_TIMESTAMP, end_reason = 'released'
              WHERE id IN (SELECT id FROM locks WHERE id = ANY(CAST(:ids AS uuid[])) AND %1$s
                           ORDER BY %2$s FOR UPDATE)
                AND %1$s
            """.formatted(HELD, HOLDER_ORDER) + ANNOUNCED;

    /** A holder in place 0 only: one in another place renews under the key's lock ({@link #RENEW_UNDER_KEY}). */
    private static final String RENEW = """
            UPDATE locks SET expires_at = CURRENT_TIMESTAMP + %s WHERE id = :id AND place = 0 AND %s RETURNING %s"""
            .formatted(MICROS, HELD, COLUMNS);

    /**
     * Skips rows another statement has locked: the reaper never waits, so it can never be part of a deadlock with a
     * statement that locks several rows (a row skipped now is deleted next time).
     */
    private static final String DELETE_ENDED_BEFORE = """
            DELETE FROM locks WHERE id IN (
              SELECT id FROM locks
              WHERE (released_at < CURRENT_TIMESTAMP - %1$s OR expires_at < CURRENT_TIMESTAMP - %1$s)
                AND (place > 0 OR others_until IS NULL OR others_until < CURRENT_TIMESTAMP - %1$s)
              FOR UPDATE SKIP LOCKED)""".formatted(MICROS);

    /** Skips locked rows like {@link #DELETE_ENDED_BEFORE}: a row skipped now is ended next time. */
    private static final String END_LAPSED_LEASES = """
            UPDATE locks SET released_at = expires_at, end_reason = 'expired' WHERE id IN (
              SELECT id FROM locks WHERE released_at IS NULL AND expires_at <= CURRENT_TIMESTAMP
              FOR UPDATE SKIP LOCKED)""";

    /** Counts events, not rows: a row with {@code acquired_at} is a lock's life, two events. */
    private static final String DELETE_HISTORY_BEFORE = """
            WITH pruned AS (DELETE FROM lock_events WHERE happened_at < CURRENT_TIMESTAMP - %s RETURNING acquired_at)
            SELECT COUNT(*) + COUNT(acquired_at) FROM pruned""".formatted(MICROS);

    /** Subscribes a connection to {@link #RELEASED_CHANNEL}. */
    static final String LISTEN = "LISTEN " + RELEASED_CHANNEL;

    /** The release listener's question whether its connection still reaches the database. */
    static final String LIVENESS = "SELECT 1";

    /** What a commit's durability depends on: {@code fsync} and {@code synchronous_commit}. */
    static final String DURABILITY_SETTINGS = "SELECT current_setting('fsync'), current_setting('synchronous_commit')";

    /** The session's statement timeout, and how to set it ({@code ?}: the new value; "0" lifts it). */
    static final String SHOW_STATEMENT_TIMEOUT = "SHOW statement_timeout";
    static final String SET_STATEMENT_TIMEOUT = "SELECT set_config('statement_timeout', ?, false)";

    /**
     * Take and free a session-level advisory lock ({@code ?}: its number), which instances migrating the schema
     * queue on; session-level, so the migration's own commits do not free it.
     */
    static final String ADVISORY_LOCK = "SELECT pg_advisory_lock(?)";
    static final String ADVISORY_UNLOCK = "SELECT pg_advisory_unlock(?)";

    /** This database's statements. */
    static final LockStatements STATEMENTS = new LockStatements(ACQUIRE, RELEASE, RELEASE_AS_ADMIN, RENEW,
            DELETE_ENDED_BEFORE, END_LAPSED_LEASES, DELETE_HISTORY_BEFORE, false, "SET statement_timeout = ", TAKE_PLACE,
            RENEW_UNDER_KEY);

    private PostgresStatements() {
    }
}
