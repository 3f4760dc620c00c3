package tracker.locks.domain.port.in;

import java.time.Duration;
import java.util.List;
import tracker.locks.domain.model.HistoryFilter;
import tracker.locks.domain.model.InvalidLockRequestException;
import tracker.locks.domain.model.Lock;
import tracker.locks.domain.model.LockEvent;
import tracker.locks.domain.model.LockEventPage;
import tracker.locks.domain.model.LockHeldException;
import tracker.locks.domain.model.LockNotFoundException;
import tracker.locks.domain.model.LockPage;
import tracker.locks.domain.model.PageRequest;
import tracker.locks.domain.model.QueueFilter;
import tracker.locks.domain.model.WaitingClient;
import tracker.locks.domain.model.Principal;
import tracker.locks.domain.model.Released;

/**
 * Port in: what a transport offers its clients. REST and gRPC both call exactly this, so they cannot disagree. Every
 * method may also throw {@link tracker.locks.domain.model.LockStoreUnavailableException} when the store cannot be
 * reached, and {@link InvalidLockRequestException} naming a field the server's limits refuse.
 */
public interface LockUseCases {

    /** The guide's words for a successful release; every transport answers a release with them. */
    String RELEASED = "Lock released successfully";

    /**
     * Takes the lock on the command's key, waiting for it as long as the command allows.
     *
     * @param caller whether the client is still there; a client that gives up stops waiting and holds nothing
     * @return the new lock
     * @throws LockHeldException when the key is still held when the wait ends (no room for this request under the
     *                           holders' rule, or they were taken with another limit), naming the holders
     */
    Lock acquire(AcquireLockCommand command, Caller caller);

    /**
     * {@link #acquire} without holding the calling thread while the client waits: the answer comes when the lock is
     * taken or the wait ends, and fails with what {@code acquire} would throw (as it is, not wrapped). A request
     * that does not wait is answered before this returns. Implementations that can wait without a thread override
     * this; by default it is {@code acquire} on the calling thread.
     */
    default java.util.concurrent.CompletableFuture<Lock> acquireAsync(AcquireLockCommand command, Caller caller) {
        return Completion.now(() -> acquire(command, caller));
    }

    /**
     * Looks a held lock up by id.
     *
     * @param id the id as the caller wrote it; text that is not a lock id simply names no lock
     * @throws LockNotFoundException when no lock is held under that id
     */
    Lock get(String id);

    /**
     * Releases a held lock by id (its holder's release, or an operator's force-release).
     *
     * @param id the id as the caller wrote it
     * @return the lock released, and whether that was a force-release (an admin's release of another's lock)
     * @throws LockNotFoundException when no lock is held under that id, including one already released
     */
    Released release(String id);

    /**
     * Sets the lease of the lock held under {@code id} to end {@code ttl} from now (a lock without a lease gains one).
     *
     * @param ttl the new lease; null takes the server's default lease, and is refused when there is none
     * @throws LockNotFoundException when no lock is held under that id: never taken, released, or already expired
     */
    Lock renew(String id, Duration ttl);

    /** A page of the held locks, oldest first. */
    LockPage list(PageRequest page);

    /**
     * The clients waiting for the keys {@code filter} matches, each key's line in the order they will be served.
     */
    List<WaitingClient> queue(QueueFilter filter);

    /**
     * Who is calling, and so what this instance of the use cases allows: {@link Principal#ANYONE} with
     * authentication off.
     */
    Principal principal();

    /**
     * A page of the history of the keys {@code filter} names, newest first; without a service, of every service the
     * caller may read.
     */
    LockEventPage history(HistoryFilter filter, PageRequest page);

    /**
     * The life of one acquisition, oldest first: acquired, renewed…, and how it ended.
     *
     * @param id the id as the caller wrote it
     * @throws LockNotFoundException when the history holds nothing of that id (never taken, or pruned)
     */
    List<LockEvent> history(String id);
}
