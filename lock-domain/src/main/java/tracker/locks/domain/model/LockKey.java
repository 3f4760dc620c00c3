package tracker.locks.domain.model;

import java.util.Objects;

/**
 * What a lock excludes: at most one lock exists per key. Environment and resource are empty when not given, so
 * with neither set there is one lock per service.
 */
public record LockKey(String service, String environment, String resource) {

    public LockKey {
        Objects.requireNonNull(service, "service");
        Objects.requireNonNull(environment, "environment");
        Objects.requireNonNull(resource, "resource");
    }

    /** The key of a plain service lock, the guide's only kind. */
    public static LockKey ofService(String service) {
        return new LockKey(service, "", "");
    }
}
