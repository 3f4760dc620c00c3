package tracker.locks.domain;

import java.time.Duration;

/**
 * A request to take the lock on {@link #key()} for {@link #who()}, optionally with a lease ({@code ttl}) and a
 * willingness to wait for a held key ({@code maxWait}). Built through {@link #of} and the withers, which validate
 * every field, so a command that exists is a valid one (the server's limits are checked by the service).
 */
public record AcquireLockCommand(LockKey key, String who, String eventId, Duration ttl, Duration maxWait) {

    /**
     * Validates raw transport values: {@code service} and {@code who} are required; {@code environment},
     * {@code resource} and {@code eventId} are optional (null or blank means not set).
     *
     * @throws InvalidLockRequestException naming the first field that is wrong
     */
    public static AcquireLockCommand of(String service, String who, String environment, String resource,
                                        String eventId) {
        String checkedService = LockFields.required("service", service);
        String checkedWho = LockFields.required("who", who);
        LockKey key = new LockKey(checkedService,
                LockFields.optional("environment", environment),
                LockFields.optional("resource", resource));
        String checkedEventId = LockFields.optional("eventId", eventId);
        return new AcquireLockCommand(key, checkedWho, checkedEventId.isEmpty() ? null : checkedEventId, null, null);
    }

    /** The guide's plain request: a service and its owner. */
    public static AcquireLockCommand of(String service, String who) {
        return of(service, who, null, null, null);
    }

    /** The same request with a lease: the lock ends by itself {@code ttl} after it is taken unless renewed. */
    public AcquireLockCommand withTtl(Duration newTtl) {
        return new AcquireLockCommand(key, who, eventId, Durations.positive("ttl", newTtl), maxWait);
    }

    /** The same request, willing to wait up to {@code newWait} for a held key. */
    public AcquireLockCommand withWait(Duration newWait) {
        return new AcquireLockCommand(key, who, eventId, ttl, Durations.positive("wait", newWait));
    }
}
