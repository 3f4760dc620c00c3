package tracker.locks.domain.service;

import java.time.Clock;
import java.util.Objects;
import java.util.Optional;
import tracker.locks.domain.model.AuthenticationRequiredException;
import tracker.locks.domain.model.Principal;
import tracker.locks.domain.port.in.LockGate;
import tracker.locks.domain.port.in.LockUseCases;
import tracker.locks.domain.port.out.TokenDirectory;

/**
 * The one place that decides who may do what: authenticates a client by its bearer token and lets it use the locks
 * as its principal may ({@link PrincipalLocks}). Both transports go through it, so they cannot disagree.
 */
public final class AccessControl implements LockGate {

    private final LockService locks;
    private final TokenDirectory tokens;
    private final FailedAuthentications failures;
    private final LockUseCases everything;

    private AccessControl(LockService locks, TokenDirectory tokens, Clock clock) {
        this.locks = Objects.requireNonNull(locks, "locks");
        this.tokens = tokens;
        this.failures = new FailedAuthentications(clock);
        this.everything = new PrincipalLocks(locks, Principal.ANYONE);
    }

    /** Authentication off: every client may do everything, as in the guide; tokens presented are ignored. */
    public static AccessControl open(LockService locks) {
        return new AccessControl(locks, null, Clock.systemUTC());
    }

    /** Authentication on: every call needs a token {@code tokens} knows. */
    public static AccessControl withTokens(LockService locks, TokenDirectory tokens, Clock clock) {
        return new AccessControl(locks, Objects.requireNonNull(tokens, "tokens"), clock);
    }

    public boolean authenticates() {
        return tokens != null;
    }

    @Override
    public LockUseCases enter(String bearerToken, String client) {
        if (tokens == null) {
            return everything;
        }
        failures.checkAllowed(client);
        if (bearerToken == null || bearerToken.isBlank()) {
            // Not a guess, so not counted: a page or script that first asks without a token (the dashboard does)
            // must not use up the allowance that slows down those who try tokens.
            throw new AuthenticationRequiredException("a bearer token is required (Authorization: Bearer <token>)");
        }
        Optional<Principal> principal = tokens.principalOf(bearerToken);
        if (principal.isEmpty()) {
            throw failed(client, "unknown or revoked token");
        }
        return new PrincipalLocks(locks, principal.get());
    }

    private AuthenticationRequiredException failed(String client, String reason) {
        failures.failed(client, reason);
        return new AuthenticationRequiredException(reason);
    }
}
