package tracker.locks.domain.testing;

/**
 * What a resource protected by TTL locks does with fencing tokens: it remembers the highest token it has accepted
 * and refuses any write carrying a lower one — the write of a holder whose lease passed to someone else.
 */
public final class FencedResource {

    private long highestToken;
    private String value;

    /** @return whether the write was accepted */
    public synchronized boolean write(long token, String newValue) {
        if (token < highestToken) {
            return false;
        }
        highestToken = token;
        value = newValue;
        return true;
    }

    public synchronized String value() {
        return value;
    }
}
