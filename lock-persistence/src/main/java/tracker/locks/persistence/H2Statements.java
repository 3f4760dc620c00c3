package tracker.locks.persistence;

import static tracker.locks.persistence.LockStatements.ADMIN_END;
import static tracker.locks.persistence.LockStatements.COLUMNS;
import static tracker.locks.persistence.LockStatements.FIRST_PLACE_FREE;
import static tracker.locks.persistence.LockStatements.HELD;
import static tracker.locks.persistence.LockStatements.TAKEN_COLUMNS;
import static tracker.locks.persistence.LockStatements.TAKE_OVER_MARKS;

/** The writes of the lock store on H2, whose delta tables ({@code FINAL TABLE}) return what a write changed. */
final class H2Statements {

    /** {@code :micros} from now; null stays null (no lease). */
    private static final String NOW_PLUS_MICROS = "DATEADD(MICROSECOND, CAST(:micros AS BIGINT), CURRENT_TIMESTAMP)";

    private static final String ACQUIRE = acquireAt("0", "NULL", FIRST_PLACE_FREE);

    /** The place {@code :place} of the key, under the key's lock ({@link LockStatements#takePlace}). */
    private static final String TAKE_PLACE = acquireAt("CAST(:place AS INT)",
            "CAST(:othersUntil AS TIMESTAMP WITH TIME ZONE)",
            "l.released_at IS NOT NULL OR l.expires_at <= CURRENT_TIMESTAMP");

    /**
     * Takes the key's place {@code place} if it was never taken, or if {@code takeOverWhen} holds of its row
     * ({@code l}); sets {@code others_until} to {@code othersUntil}.
     */
    private static String acquireAt(String place, String othersUntil, String takeOverWhen) {
        return """
            SELECT %3$s FROM FINAL TABLE (
              MERGE INTO locks l
              USING (VALUES (CAST(:id AS UUID), CAST(:service AS VARCHAR(255)), CAST(:environment AS VARCHAR(255)),
                             CAST(:resource AS VARCHAR(255)), %5$s, %6$s))
                    k(id, service, environment, resource, place, others_until)
              ON l.service = k.service AND l.environment = k.environment AND l.resource = k.resource
                 AND l.place = k.place
              WHEN MATCHED AND (%7$s) THEN
                UPDATE SET id = k.id, who = :who, event_id = :eventId, created_at = CURRENT_TIMESTAMP,
                           expires_at = %2$s, granted_expires_at = %2$s, token = NEXT VALUE FOR lock_tokens,
                           released_at = NULL, owner = :owner, holder_limit = :limit, holder_mode = :mode,
                           others_until = k.others_until,
                           %4$s
              WHEN NOT MATCHED THEN
                INSERT (%1$s, granted_expires_at, place, others_until)
                VALUES (k.id, k.service, k.environment, k.resource, :who, :eventId, CURRENT_TIMESTAMP, %2$s,
                        NEXT VALUE FOR lock_tokens, :owner, :limit, :mode, %2$s, k.place, k.others_until))"""
            .formatted(COLUMNS, NOW_PLUS_MICROS, TAKEN_COLUMNS, TAKE_OVER_MARKS, place, othersUntil, takeOverWhen);
    }

    /** {@link LockStatements#renewUnderKey}: on H2 the database's clock is this process's, so {@code :now} is it. */
    private static final String RENEW_UNDER_KEY = """
            SELECT %s, place FROM FINAL TABLE (
              UPDATE locks SET expires_at = %s
              WHERE id = :id AND released_at IS NULL
                AND (expires_at IS NULL OR expires_at > CAST(:now AS TIMESTAMP WITH TIME ZONE)))"""
            .formatted(COLUMNS, NOW_PLUS_MICROS);

    private static final String RELEASE = """
            SELECT %s FROM FINAL TABLE (
              UPDATE locks SET released_at = CURRENT_TIMESTAMP, end_reason = 'released' WHERE id = :id AND %s)"""
            .formatted(COLUMNS, HELD);

    private static final String RELEASE_AS_ADMIN = """
            SELECT %s, end_reason FROM FINAL TABLE (
              UPDATE locks SET released_at = CURRENT_TIMESTAMP, %s WHERE id = :id AND %s)"""
            .formatted(COLUMNS, ADMIN_END, HELD);

    private static final String END_LAPSED_LEASES = """
            UPDATE locks SET released_at = expires_at, end_reason = 'expired'
            WHERE released_at IS NULL AND expires_at <= CURRENT_TIMESTAMP""";

    /** Counts events, not rows: a row with {@code acquired_at} is a lock's life, two events. */
    private static final String DELETE_HISTORY_BEFORE = """
            SELECT COUNT(*) + COUNT(acquired_at) FROM OLD TABLE (
              DELETE FROM lock_events
              WHERE happened_at < DATEADD(MICROSECOND, -CAST(:micros AS BIGINT), CURRENT_TIMESTAMP))""";

    private static final String RENEW = """
            SELECT %s FROM FINAL TABLE (UPDATE locks SET expires_at = %s WHERE id = :id AND place = 0 AND %s)"""
            .formatted(COLUMNS, NOW_PLUS_MICROS, HELD);

    private static final String DELETE_ENDED_BEFORE = """
            DELETE FROM locks
            WHERE (released_at < DATEADD(MICROSECOND, -CAST(:micros AS BIGINT), CURRENT_TIMESTAMP)
                   OR expires_at < DATEADD(MICROSECOND, -CAST(:micros AS BIGINT), CURRENT_TIMESTAMP))
              AND (place > 0 OR others_until IS NULL
                   OR others_until < DATEADD(MICROSECOND, -CAST(:micros AS BIGINT), CURRENT_TIMESTAMP))""";

    /** Writes what committed to the database file and forces the file to the disk ({@code fsync}). */
    static final String FLUSH_TO_DISK = "CHECKPOINT SYNC";

    /** How long after a commit H2 writes it to the file (0: the commit writes it itself). */
    static final String WRITE_DELAY_SETTING =
            "SELECT SETTING_VALUE FROM INFORMATION_SCHEMA.SETTINGS WHERE SETTING_NAME = 'WRITE_DELAY'";

    /** This database's statements. */
    static final LockStatements STATEMENTS = new LockStatements(ACQUIRE, RELEASE, RELEASE_AS_ADMIN, RENEW,
            DELETE_ENDED_BEFORE, END_LAPSED_LEASES, DELETE_HISTORY_BEFORE, true, "SET QUERY_TIMEOUT ", TAKE_PLACE,
            RENEW_UNDER_KEY);

    private H2Statements() {
    }
}
