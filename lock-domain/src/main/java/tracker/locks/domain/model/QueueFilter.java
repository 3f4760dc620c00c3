package tracker.locks.domain.model;

import java.util.Objects;

/**
 * Which lines of waiting clients to show: one service's, optionally of one environment and/or resource.
 *
 * @param environment null: every environment
 * @param resource    null: every resource
 */
public record QueueFilter(String service, String environment, String resource) {

    public QueueFilter {
        Objects.requireNonNull(service, "service");
    }

    /** The filter from a client's words: service required, blank environment or resource means any. */
    public static QueueFilter of(String service, String environment, String resource) {
        return new QueueFilter(LockFields.required("service", service), anyIfBlank("environment", environment),
                anyIfBlank("resource", resource));
    }

    /** The line of exactly {@code key}. */
    public static QueueFilter exactly(LockKey key) {
        return new QueueFilter(key.service(), key.environment(), key.resource());
    }

    public boolean matches(LockKey key) {
        return service.equals(key.service())
                && (environment == null || environment.equals(key.environment()))
                && (resource == null || resource.equals(key.resource()));
    }

    private static String anyIfBlank(String field, String value) {
        String checked = LockFields.optional(field, value);
        return checked.isEmpty() ? null : checked;
    }
}
