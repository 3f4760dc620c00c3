package tracker.locks.domain.model;

import java.util.Locale;

/** What happened to a lock, as its history records it. */
public enum LockAction {
    ACQUIRED,
    RENEWED,
    RELEASED,
    /** Released by an admin who is not its owner (authentication on). */
    FORCE_RELEASED,
    /** Its lease ran out; recorded when the reaper or the next acquisition of the key sees it. */
    EXPIRED;

    /** The word the APIs and the database use: {@code acquired}, …, {@code force-released}, {@code expired}. */
    public String word() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /** The action a word names. */
    public static LockAction ofWord(String word) {
        for (LockAction action : values()) {
            if (action.word().equals(word)) {
                return action;
            }
        }
        throw new IllegalArgumentException("no lock action is called " + word);
    }
}
