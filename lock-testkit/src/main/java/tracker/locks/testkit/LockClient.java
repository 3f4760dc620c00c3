package tracker.locks.testkit;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/** One client's view of one instance, over one transport; failures of the transport are answers, not exceptions. */
public interface LockClient extends AutoCloseable {

    /** Takes the plain lock of {@code service}, with no lease. */
    default AcquireAnswer acquire(String service, String who) {
        return acquire(service, who, null);
    }

    /** Takes the plain lock of {@code service} with a lease of {@code ttl} (none when null). */
    default AcquireAnswer acquire(String service, String who, Duration ttl) {
        return acquire(service, null, who, ttl);
    }

    /**
     * Takes the lock of ({@code service}, {@code environment}) with a lease of {@code ttl}; a null environment or
     * ttl is left out of the request.
     */
    AcquireAnswer acquire(String service, String environment, String who, Duration ttl);

    /** Takes one of the {@code limit} places of {@code service}'s semaphore (1: the plain lock), with no lease. */
    AcquireAnswer acquire(String service, String who, int limit);

    ReleaseAnswer release(String id);

    /** Renews the lease of a held lock to {@code ttl} from now. */
    RenewAnswer renew(String id, Duration ttl);

    /** What the server says about the lock {@code id} now. */
    LockState get(String id);

    /** The id of the lock {@code who} holds, found through the list; empty when none or on failure. */
    Optional<String> findHeldBy(String who);

    String describe();

    /**
     * The requests of this client that got no usable answer so far, by kind: {@code HTTP 503} (any status the
     * calls do not expect), {@code UNAVAILABLE} (a gRPC status), or the exception's simple name (no answer at all).
     */
    java.util.Map<String, Long> failures();

    /** Frees the connection; nothing to free by default. */
    @Override
    default void close() {
    }

    /**
     * ACQUIRED with the id, fencing token and lease end (whole seconds, null without a lease), HELD by someone else,
     * or FAILED: no answer, so the outcome is unknown.
     */
    record AcquireAnswer(Outcome outcome, String id, long token, Instant expiresAt) {
        public static final AcquireAnswer HELD = new AcquireAnswer(Outcome.HELD, null, 0, null);
        public static final AcquireAnswer FAILED = new AcquireAnswer(Outcome.FAILED, null, 0, null);

        public static AcquireAnswer acquired(String id, long token, Instant expiresAt) {
            return new AcquireAnswer(Outcome.ACQUIRED, id, token, expiresAt);
        }
    }

    enum Outcome { ACQUIRED, HELD, FAILED }

    enum ReleaseAnswer { RELEASED, NOT_FOUND, FAILED }

    /** RENEWED with the new lease end (whole seconds), NOT_FOUND (not held), or FAILED: outcome unknown. */
    record RenewAnswer(Found found, Instant expiresAt) {
        public static final RenewAnswer NOT_FOUND = new RenewAnswer(Found.NOT_FOUND, null);
        public static final RenewAnswer FAILED = new RenewAnswer(Found.FAILED, null);
    }

    /** HELD with its token and lease end (whole seconds, null without a lease), NOT_FOUND, or FAILED. */
    record LockState(Found found, long token, Instant expiresAt) {
        public static final LockState NOT_FOUND = new LockState(Found.NOT_FOUND, 0, null);
        public static final LockState FAILED = new LockState(Found.FAILED, 0, null);
    }

    enum Found { HELD, NOT_FOUND, FAILED }
}
