package tracker.locks.domain.port.out;

import java.util.Optional;
import tracker.locks.domain.model.Principal;

/**
 * Port out: the tokens the operator issued, and who each one is. Only hashes need be kept: the directory is asked
 * with the secret a client presented.
 */
@FunctionalInterface
public interface TokenDirectory {

    /** Whom {@code secret} names; empty when no issued token matches it (never issued, or revoked). */
    Optional<Principal> principalOf(String secret);
}
