package tracker.locks.domain.model;

import java.util.Objects;

/**
 * Which keys' history to read: every key of {@code service}, narrowed to one environment and/or resource when
 * those are given (null: any).
 */
public record HistoryFilter(String service, String environment, String resource) {

    public HistoryFilter {
        Objects.requireNonNull(service, "service");
    }

    /**
     * Validates raw transport values: {@code service} is required; an absent or blank environment or resource
     * means "any".
     */
    public static HistoryFilter of(String service, String environment, String resource) {
        String checkedEnvironment = LockFields.optional("environment", environment);
        String checkedResource = LockFields.optional("resource", resource);
        return new HistoryFilter(LockFields.required("service", service),
                checkedEnvironment.isEmpty() ? null : checkedEnvironment,
                checkedResource.isEmpty() ? null : checkedResource);
    }
}
