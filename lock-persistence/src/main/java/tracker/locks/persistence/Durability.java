package tracker.locks.persistence;

import org.jdbi.v3.core.Handle;

/**
 * What a write waits for after its commit and before it is answered, so that a crash of the server (or of the
 * machine) cannot take back an answer: a lock answered "acquired" is held after the restart, a lock answered
 * "released" stays released.
 */
@FunctionalInterface
interface Durability {

    /** Returns once the writes this thread committed on {@code handle} are on disk. */
    void awaitDurable(Handle handle);

    /**
     * PostgreSQL's COMMIT returns only once the commit is in the write-ahead log on disk — when the database runs
     * with {@code fsync} and {@code synchronous_commit} on, which {@link DatabaseDurability#check} checks at
     * start-up.
     */
    Durability AT_COMMIT = handle -> {
    };

    /**
     * H2, on the URL {@link DatabaseDurability#durableUrl} gives it, writes each commit to its file before the
     * statement returns — which a crash of the server cannot take back, the operating system has it — but never
     * forces the file to the disk, which a power cut could; {@code CHECKPOINT SYNC} does ({@code fsync}). One such
     * flush serves every write committed before it began ({@link GroupSync}). (Forcing H2's file directly through
     * its engine classes, without the statement's database-wide monitor, was measured too: no faster on two cores,
     * where the server's processor time is the limit.)
     */
    static Durability h2FlushToDisk() {
        GroupSync<Handle> flush = new GroupSync<>(handle -> handle.execute(H2Statements.FLUSH_TO_DISK));
        return flush::awaitFlushed;
    }
}
