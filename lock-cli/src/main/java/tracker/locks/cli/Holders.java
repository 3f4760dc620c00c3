package tracker.locks.cli;

import java.time.Instant;
import java.util.List;
import java.util.stream.Collectors;
import tracker.locks.client.LockHeldException;
import tracker.locks.client.LockInfo;
import tracker.locks.client.LockMode;

/**
 * Who holds a key the CLI could not have, for "SERVICE is locked by …": the holder of a plain lock as it always was
 * named, the holders of a semaphore's or shared key counted and named, and why another limit keeps this one out.
 */
final class Holders {

    /** The most holders named in one message: a key can have a thousand, a terminal line should not. */
    private static final int NAMED = 5;

    private Holders() {
    }

    /** A shared run refused by shared holders only: what keeps it out is an exclusive request waiting for the key. */
    static final String WRITER_WAITS = "; an exclusive request waits for the key, so new shared holders wait behind it";

    /**
     * @param requestedLimit  the limit this run asked for, named when the holders took another
     * @param requestedShared whether this run asked to share the key
     */
    static String describe(LockHeldException held, int requestedLimit, boolean requestedShared, Instant now) {
        List<LockInfo> holders = held.holders();
        LockInfo oldest = held.holder();
        boolean plain = oldest.limit() == 1 && oldest.mode() == LockMode.EXCLUSIVE;
        if (holders.size() == 1 && plain && !held.heldWithAnotherLimit()) {
            return one(oldest, now);
        }
        String kind = oldest.mode() == LockMode.SHARED ? " shared holder" : " holder";
        String counted = holders.size() + kind + (holders.size() == 1 ? "" : "s")
                + (oldest.limit() > 1 || held.heldWithAnotherLimit() ? " (limit " + oldest.limit() + ")" : "") + ": "
                + holders.stream().limit(NAMED).map(holder -> one(holder, now)).collect(Collectors.joining("; "))
                + (holders.size() > NAMED ? "; and " + (holders.size() - NAMED) + " more" : "");
        if (held.heldWithAnotherLimit()) {
            counted += "; every holder of a key must ask for the same limit, and this one asked for --limit "
                    + requestedLimit;
        } else if (requestedShared && holders.stream().allMatch(holder -> holder.mode() == LockMode.SHARED)) {
            counted += WRITER_WAITS;
        }
        return counted;
    }

    private static String one(LockInfo holder, Instant now) {
        return holder.who() + " since " + holder.createdAt() + " (" + LockTable.ago(holder.createdAt(), now)
                + " ago; lock id " + holder.id() + ", token " + holder.token() + ")";
    }
}
