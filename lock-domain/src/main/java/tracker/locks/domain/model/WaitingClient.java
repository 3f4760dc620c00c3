package tracker.locks.domain.model;

import java.time.Instant;
import java.util.Objects;

/**
 * A client waiting in line for a held key: who it is, since when it waits, and how it wants to hold the key.
 *
 * @param owner the principal it waits for, with authentication on; null otherwise
 */
public record WaitingClient(LockKey key, String who, String owner, HolderRule rule, Instant since) {

    public WaitingClient {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(who, "who");
        Objects.requireNonNull(rule, "rule");
        Objects.requireNonNull(since, "since");
    }
}
