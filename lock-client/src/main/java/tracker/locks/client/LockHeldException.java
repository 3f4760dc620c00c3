package tracker.locks.client;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The key is held by someone else (and the wait, if any, ended): {@link #holder()} says who and since when, and
 * {@link #holders()} names every holder of a key held by several (a semaphore's holders, shared holders).
 */
public final class LockHeldException extends LockClientException {

    private final List<LockInfo> holders;
    private final boolean anotherLimit;

    /**
     * @param holders      at least one, oldest first
     * @param anotherLimit the holders took the key with another limit than the request's
     */
    LockHeldException(List<LockInfo> holders, boolean anotherLimit) {
        super(message(holders, anotherLimit));
        this.holders = List.copyOf(holders);
        this.anotherLimit = anotherLimit;
    }

    /**
     * The conflict a 409 answer to {@code request} describes; null when the answer names no holder (not a conflict
     * this client knows). The holders are the answer's {@code holders}, or its {@code existingLock} alone from a
     * server that names only the oldest.
     */
    static LockHeldException of(Map<?, ?> answer, LockRequest request) {
        List<LockInfo> holders = new ArrayList<>();
        if (answer.get("holders") instanceof List<?> listed) {
            for (Object holder : listed) {
                if (holder instanceof Map<?, ?> lock) {
                    holders.add(LockInfo.of(lock));
                }
            }
        }
        if (holders.isEmpty() && answer.get("existingLock") instanceof Map<?, ?> oldest) {
            holders.add(LockInfo.of(oldest));
        }
        if (holders.isEmpty()) {
            return null;
        }
        // Derived from the holders rather than read from the error text: holders of the request's own mode with
        // another limit are what the server refuses as "another limit" (another mode is simply "held").
        LockInfo oldest = holders.get(0);
        boolean anotherLimit = oldest.mode() == request.mode() && oldest.limit() != request.limit();
        return new LockHeldException(holders, anotherLimit);
    }

    /** The oldest holder (the only one of a plain lock). */
    public LockInfo holder() {
        return holders.get(0);
    }

    /** Every holder of the key, oldest first; one for a plain lock. */
    public List<LockInfo> holders() {
        return holders;
    }

    /**
     * Whether the key is held under another limit than the request asked for: every holder of a key must ask for
     * the same limit, so this request can have the key only once all of them are gone.
     */
    public boolean heldWithAnotherLimit() {
        return anotherLimit;
    }

    private static String message(List<LockInfo> holders, boolean anotherLimit) {
        LockInfo oldest = holders.get(0);
        String message = "lock held by " + oldest.who() + " since " + oldest.createdAt() + " (lock id " + oldest.id()
                + ")";
        if (holders.size() > 1) {
            message += " and " + (holders.size() - 1) + " more";
        }
        if (anotherLimit) {
            message += ", with limit " + oldest.limit() + ": every holder of a key must ask for the same limit";
        }
        return message;
    }
}
