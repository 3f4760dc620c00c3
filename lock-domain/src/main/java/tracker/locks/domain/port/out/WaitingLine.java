package tracker.locks.domain.port.out;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import tracker.locks.domain.model.LockKey;
import tracker.locks.domain.model.QueueFilter;
import tracker.locks.domain.model.WaitingClient;

/**
 * Port out: the lines of clients waiting for held keys, one line per key in arrival order. Only the first in a line
 * tries the key ({@link #isFirst}); the service is told of a release ({@link #released}) and the line wakes its first
 * waiter, and when a waiter leaves the next one's turn comes. The domain's own line serves one instance (an embedded
 * database); on a shared database the line is kept there, so waiters on every instance are served in the order they
 * came.
 *
 * <p>A waiter is not a thread: a line calls the {@code wake} action a waiter joined with, from whatever thread
 * brings the news, and the waiter looks again (on a thread of the service's own).
 */
public interface WaitingLine {

    /** A client's place in a line, from {@link #join} until {@link #leave}. */
    interface Place {
    }

    /** Whether anyone waits for {@code key} (then a newcomer joins the line rather than trying first). */
    boolean anyoneWaitingFor(LockKey key);

    /** Whether an exclusive request waits for {@code key}: shared newcomers then stay out (writers not starved). */
    boolean exclusiveWaitingFor(LockKey key);

    /**
     * Joins the end of the line of {@code client.key()}.
     *
     * @param wake called whenever this place should look again (a release, the turn moved); it must return quickly
     *             and may be called on any thread, also after {@link #leave}
     */
    Place join(WaitingClient client, Runnable wake);

    /** Whether nobody who still waits came before {@code place}. */
    boolean isFirst(Place place);

    /**
     * Whether no waiter of this instance came before {@code place}: the one waiter of a key here that can become
     * first without this instance hearing of it (an entry ahead of it elsewhere lapsing), so it looks again now and
     * then; the others are woken when the one ahead of them leaves.
     */
    boolean firstHere(Place place);

    /** Leaves the line at once (with the key or without); when the first leaves, the next one's turn comes. */
    void leave(Place place);

    /** The key was released here or elsewhere: the first in its line tries now. */
    void released(LockKey key);

    /** How many clients of this instance wait, for any key (the waiting gauge). */
    int waiting();

    /** How many clients wait for each of {@code keys} that has a line. */
    Map<LockKey, Integer> waitingFor(Collection<LockKey> keys);

    /** The clients in the lines {@code filter} matches: by key, each line in the order it will be served. */
    List<WaitingClient> queue(QueueFilter filter);
}
