package tracker.locks.client;

/**
 * How a lock shares its key: {@link #EXCLUSIVE} holders (one, or up to a semaphore's limit) hold the key without any
 * shared one; {@link #SHARED} holders (readers) hold it together with any number of other shared holders.
 */
public enum LockMode {
    EXCLUSIVE, SHARED;

    /** The mode as the API writes it: {@code exclusive} or {@code shared}. */
    public String wireName() {
        return this == SHARED ? "shared" : "exclusive";
    }

    /**
     * The mode the API wrote; absent means exclusive, the API's default. A mode this client does not know is read as
     * exclusive, the stricter of the two, so an older client never believes it may share what it may not.
     */
    static LockMode fromWire(Object value) {
        return "shared".equals(value) ? SHARED : EXCLUSIVE;
    }
}
