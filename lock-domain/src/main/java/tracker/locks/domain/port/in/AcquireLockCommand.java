package tracker.locks.domain.port.in;

import java.time.Duration;
import java.util.Objects;
import tracker.locks.domain.model.Durations;
import tracker.locks.domain.model.HolderRule;
import tracker.locks.domain.model.InvalidLockRequestException;
import tracker.locks.domain.model.LockFields;
import tracker.locks.domain.model.LockKey;

/**
 * A request to take the lock on {@link #key()} for {@link #who()}, optionally with a lease ({@code ttl}) and a
 * willingness to wait for a held key ({@code maxWait}). The constructor validates every field, so a command that
 * exists is a valid one (the server's limits are checked by the service).
 *
 * @param eventId null when not set
 * @param ttl     null: no lease asked for
 * @param maxWait null or zero: do not wait
 * @param owner   the principal the lock is taken for, set by the access control (never by a client); null without
 *                authentication
 * @param rule    how many may hold the key with this lock, and how: {@link HolderRule#SINGLE} unless the client
 *                asked for a limit or shared mode
 * @throws InvalidLockRequestException naming the first field that is wrong
 */
public record AcquireLockCommand(LockKey key, String who, String eventId, Duration ttl, Duration maxWait,
                                 String owner, HolderRule rule) {

    /** The guide's lock, for {@code owner}. */
    public AcquireLockCommand(LockKey key, String who, String eventId, Duration ttl, Duration maxWait, String owner) {
        this(key, who, eventId, ttl, maxWait, owner, HolderRule.SINGLE);
    }

    /** A command without an owner: authentication off. */
    public AcquireLockCommand(LockKey key, String who, String eventId, Duration ttl, Duration maxWait) {
        this(key, who, eventId, ttl, maxWait, null);
    }

    public AcquireLockCommand {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(rule, "rule");
        key = new LockKey(LockFields.required("service", key.service()),
                LockFields.optional("environment", key.environment()),
                LockFields.optional("resource", key.resource()));
        who = LockFields.required("who", who);
        String checkedEventId = LockFields.optional("eventId", eventId);
        eventId = checkedEventId.isEmpty() ? null : checkedEventId;
        ttl = Durations.positive("ttl", ttl);
        // An explicit zero is what a script that will not wait writes ("wait":"0s"): the same as no wait at all.
        maxWait = maxWait != null && maxWait.isZero() ? null : Durations.positive("wait", maxWait);
    }

    /**
     * Validates raw transport values: {@code service} and {@code who} are required; {@code environment},
     * {@code resource} and {@code eventId} are optional (null or blank means not set).
     */
    public static AcquireLockCommand of(String service, String who, String environment, String resource,
                                        String eventId) {
        LockKey key = new LockKey(LockFields.required("service", service),
                LockFields.optional("environment", environment),
                LockFields.optional("resource", resource));
        return new AcquireLockCommand(key, who, eventId, null, null);
    }

    /** The guide's plain request: a service and its owner. */
    public static AcquireLockCommand of(String service, String who) {
        return of(service, who, null, null, null);
    }

    /** The same request with a lease: the lock ends by itself {@code ttl} after it is taken unless renewed. */
    public AcquireLockCommand withTtl(Duration newTtl) {
        return new AcquireLockCommand(key, who, eventId, newTtl, maxWait, owner, rule);
    }

    /** The same request, willing to wait up to {@code newWait} for a held key. */
    public AcquireLockCommand withWait(Duration newWait) {
        return new AcquireLockCommand(key, who, eventId, ttl, newWait, owner, rule);
    }

    /** The same request, for {@code newOwner}. */
    public AcquireLockCommand withOwner(String newOwner) {
        return new AcquireLockCommand(key, who, eventId, ttl, maxWait, newOwner, rule);
    }

    /** The same request, under {@code newRule} (a semaphore's limit, or shared mode). */
    public AcquireLockCommand withRule(HolderRule newRule) {
        return new AcquireLockCommand(key, who, eventId, ttl, maxWait, owner, newRule);
    }
}
