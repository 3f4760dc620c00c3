package tracker.locks.domain.model;

import java.util.Objects;

/** The key is already locked; carries the current holder so the caller can tell who to wait for. */
public final class LockHeldException extends LockServiceException {

    private final transient Lock holder;

    public LockHeldException(Lock holder) {
        super("lock already exists");
        this.holder = Objects.requireNonNull(holder, "holder");
    }

    public Lock holder() {
        return holder;
    }
}
