package tracker.locks.domain.model;

import java.util.Objects;

/**
 * Which keys' history to read: every key of {@code service} (null: of every service {@code within} admits),
 * narrowed to one environment and/or resource when those are given (null: any).
 *
 * @param within the services the reader may see: all of them, or a principal's patterns
 */
public record HistoryFilter(String service, String environment, String resource, ServicePatterns within) {

    public HistoryFilter {
        Objects.requireNonNull(within, "within");
    }

    /** A filter over every service. */
    public HistoryFilter(String service, String environment, String resource) {
        this(service, environment, resource, ServicePatterns.ALL);
    }

    /**
     * Validates raw transport values: an absent or blank service, environment or resource means "any" (recent
     * activity across services: no service).
     */
    public static HistoryFilter of(String service, String environment, String resource) {
        return new HistoryFilter(anyWhenBlank("service", service), anyWhenBlank("environment", environment),
                anyWhenBlank("resource", resource));
    }

    /** This filter, seeing only the services {@code patterns} admits. */
    public HistoryFilter within(ServicePatterns patterns) {
        return new HistoryFilter(service, environment, resource, patterns);
    }

    private static String anyWhenBlank(String field, String value) {
        String checked = LockFields.optional(field, value);
        return checked.isEmpty() ? null : checked;
    }
}
