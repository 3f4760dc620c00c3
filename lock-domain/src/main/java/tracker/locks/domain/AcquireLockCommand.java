package tracker.locks.domain;

/**
 * A request to take the lock on {@link #key()} for {@link #who()}. Built only through {@link #of}, which validates
 * every field, so a command that exists is a valid one.
 */
public record AcquireLockCommand(LockKey key, String who, String eventId) {

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
        return new AcquireLockCommand(key, checkedWho, checkedEventId.isEmpty() ? null : checkedEventId);
    }

    /** The guide's plain request: a service and its owner. */
    public static AcquireLockCommand of(String service, String who) {
        return of(service, who, null, null, null);
    }
}
