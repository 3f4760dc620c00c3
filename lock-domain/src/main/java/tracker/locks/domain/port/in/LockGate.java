package tracker.locks.domain.port.in;

import tracker.locks.domain.model.AuthenticationRequiredException;
import tracker.locks.domain.model.TooManyFailedAuthenticationsException;

/**
 * Port in: how a transport lets a client in. It hands over what the client presented — a bearer token, and its
 * address — and gets the lock use cases as that client may use them. With authentication off every client may do
 * everything, as in the guide.
 */
@FunctionalInterface
public interface LockGate {

    /**
     * @param bearerToken the token the client presented, null when it presented none
     * @param client      the client's address, to slow down one that keeps presenting wrong tokens
     * @throws AuthenticationRequiredException       when authentication is on and the token is missing or unknown
     * @throws TooManyFailedAuthenticationsException when this client presented wrong tokens too often
     */
    LockUseCases enter(String bearerToken, String client);
}
