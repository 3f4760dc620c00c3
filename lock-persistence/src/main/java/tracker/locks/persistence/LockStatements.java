package tracker.locks.persistence;

/**
 * The SQL of the lock store on one database: the reads every database shares are the constants here, each dialect's
 * writes the components ({@link H2Statements}, {@link PostgresStatements}). Every statement is a single one, so each
 * is atomic on its own, and leases are judged by the database's clock. All of them run through Jdbi's fluent API,
 * bound by name.
 *
 * @param acquire                inserts the key's row, or takes over its row when that lock ended (released, or
 *                               lease passed), drawing the token after the row is locked; returns the lock taken, or
 *                               no row when the key is held. Binds {@code :id, :service, :environment, :resource,
 *                               :who, :eventId, :owner} and {@code :micros} (the lease, null for none)
 * @param release                ends the lock held under {@code :id}; returns it, or no row when none was held
 * @param renew                  sets the lease of the lock held under {@code :id} to {@code :micros} from now;
 *                               returns it, or no row
 * @param deleteEndedBefore      deletes the rows of locks that ended more than {@code :micros} ago (the reaper)
 * @param statementTimeoutPrefix what, followed by milliseconds, makes a connection cancel any statement running
 *                               longer: the database then fails it with SQLState 57014, which the repository reports
 *                               as "store unavailable"
 */
record LockStatements(String acquire, String release, String renew, String deleteEndedBefore,
                      String statementTimeoutPrefix) {

    /** The columns every statement that returns locks returns; {@link LockRowMapper} reads them by name. */
    static final String COLUMNS =
            "id, service, environment, resource, who, event_id, created_at, expires_at, token, owner";

    /** Held: not released, and no lease or a lease that has not passed by the database's clock. */
    static final String HELD = "released_at IS NULL AND (expires_at IS NULL OR expires_at > CURRENT_TIMESTAMP)";

    /** The lock held under {@code :id}. */
    static final String FIND_HELD = """
            SELECT %s FROM locks WHERE id = :id AND %s""".formatted(COLUMNS, HELD);

    /** The lock holding the key {@code :service, :environment, :resource}. */
    static final String FIND_HELD_BY_KEY = """
            SELECT %s FROM locks
            WHERE service = :service AND environment = :environment AND resource = :resource AND %s"""
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

    /** The statement that cancels statements running longer than {@code millis}. */
    String statementTimeout(long millis) {
        return statementTimeoutPrefix + millis;
    }
}
