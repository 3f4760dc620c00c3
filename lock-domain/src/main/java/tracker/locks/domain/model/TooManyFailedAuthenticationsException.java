package tracker.locks.domain.model;

import java.time.Duration;

/** This client presented wrong tokens too often: it must wait {@link #retryAfter()} before it may try again. */
public final class TooManyFailedAuthenticationsException extends LockServiceException {

    private final Duration retryAfter;

    public TooManyFailedAuthenticationsException(Duration retryAfter) {
        this(roundedUp(retryAfter));
    }

    private TooManyFailedAuthenticationsException(long seconds) {
        super("too many failed authentications from this address; try again in " + seconds + "s");
        this.retryAfter = Duration.ofSeconds(seconds);
    }

    /** Whole seconds, never zero: what a client is told to wait is what it must wait. */
    private static long roundedUp(Duration wait) {
        return Math.max(1, wait.getSeconds() + (wait.getNano() > 0 ? 1 : 0));
    }

    /** Whole seconds, at least one. */
    public Duration retryAfter() {
        return retryAfter;
    }
}
