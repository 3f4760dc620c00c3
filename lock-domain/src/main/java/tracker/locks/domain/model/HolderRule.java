package tracker.locks.domain.model;

import java.util.List;
import java.util.Objects;

/**
 * How many may hold a key, and how: {@code limit} exclusive holders (a semaphore; one is the plain lock), or any
 * number of shared holders up to {@link #MAX_HOLDERS}. Every holder of a key carries the rule it was taken with;
 * a request joins only holders with the same rule.
 *
 * @param limit 1..{@link #MAX_HOLDERS}; always 1 for shared holders (their number is not limited by the request)
 */
public record HolderRule(int limit, LockMode mode) {

    /** The most holders a key can have at once, in either mode. */
    public static final int MAX_HOLDERS = 1000;

    /** The guide's lock: one exclusive holder. */
    public static final HolderRule SINGLE = new HolderRule(1, LockMode.EXCLUSIVE);

    public HolderRule {
        Objects.requireNonNull(mode, "mode");
        if (limit < 1 || limit > MAX_HOLDERS) {
            throw new InvalidLockRequestException("limit",
                    "limit must be between 1 and " + MAX_HOLDERS + ", got " + limit);
        }
        if (mode == LockMode.SHARED && limit != 1) {
            throw new InvalidLockRequestException("limit",
                    "limit applies to exclusive holders; shared holders are not counted against a limit");
        }
    }

    /** The rule a client asked for: {@code limit} null means 1, {@code mode} null means exclusive. */
    public static HolderRule of(Integer limit, LockMode mode) {
        return new HolderRule(limit == null ? 1 : limit, mode == null ? LockMode.EXCLUSIVE : mode);
    }

    /** How many may hold the key at once under this rule. */
    public int capacity() {
        return mode == LockMode.SHARED ? MAX_HOLDERS : limit;
    }

    public boolean isSingle() {
        return equals(SINGLE);
    }

    /**
     * Whether a request under this rule may join {@code holders} (the key's live holders, each with its place), and
     * if so in which place (0 .. {@link #capacity()} - 1) none of them has: the store's unique key on the place is
     * what keeps two holders out of one place, and the store decides this under its lock on the key.
     *
     * @param yieldsToExclusive an exclusive request waits ahead of this one: a shared request then does not join
     *                          the shared holders, so a stream of readers cannot starve the writer
     */
    public Admission admit(List<PlacedHolder> holders, boolean yieldsToExclusive) {
        for (PlacedHolder placed : holders) {
            HolderRule theirs = placed.holder().rule();
            if (theirs.mode() != mode) {
                return Admission.refused(LockHeldException.Reason.HELD);
            }
            if (theirs.limit() != limit) {
                return Admission.refused(LockHeldException.Reason.OTHER_LIMIT);
            }
        }
        if (holders.size() >= capacity()) {
            return Admission.refused(LockHeldException.Reason.HELD);
        }
        if (yieldsToExclusive && mode == LockMode.SHARED && !holders.isEmpty()) {
            return Admission.refused(LockHeldException.Reason.EXCLUSIVE_WAITING);
        }
        List<Integer> taken = holders.stream().map(PlacedHolder::place).toList();
        int place = 0;
        while (taken.contains(place)) {
            place++;
        }
        return new Admission(place, null);
    }

    /** A live holder of a key and its place among the key's holders. */
    public record PlacedHolder(Lock holder, int place) {
    }

    /**
     * What {@link #admit} decided: a place to take, or why not.
     *
     * @param place   null when refused
     * @param refusal null when admitted
     */
    public record Admission(Integer place, LockHeldException.Reason refusal) {

        static Admission refused(LockHeldException.Reason why) {
            return new Admission(null, why);
        }

        public boolean admitted() {
            return place != null;
        }
    }
}
