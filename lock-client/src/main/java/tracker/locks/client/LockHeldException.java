package tracker.locks.client;

/** The key is held by someone else (and the wait, if any, ended): {@link #holder()} says who and since when. */
public final class LockHeldException extends LockClientException {

    private final LockInfo holder;

    LockHeldException(LockInfo holder) {
        super("lock held by " + holder.who() + " since " + holder.createdAt() + " (lock id " + holder.id() + ")");
        this.holder = holder;
    }

    public LockInfo holder() {
        return holder;
    }
}
