package tracker.locks.grpc;

import com.google.protobuf.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import tracker.lock.v1alpha1.CreateLockRequest;
import tracker.lock.v1alpha1.CreateLockResponse;
import tracker.lock.v1alpha1.GetLockHistoryResponse;
import tracker.lock.v1alpha1.GetLockResponse;
import tracker.lock.v1alpha1.ListLockHistoryRequest;
import tracker.lock.v1alpha1.ListLockHistoryResponse;
import tracker.lock.v1alpha1.ListLockQueueRequest;
import tracker.lock.v1alpha1.ListLockQueueResponse;
import tracker.lock.v1alpha1.ListLocksRequest;
import tracker.lock.v1alpha1.ListLocksResponse;
import tracker.lock.v1alpha1.RenewLockRequest;
import tracker.lock.v1alpha1.RenewLockResponse;
import tracker.lock.v1alpha1.UnLockResponse;
import tracker.locks.domain.model.HistoryFilter;
import tracker.locks.domain.model.HolderRule;
import tracker.locks.domain.model.LockKey;
import tracker.locks.domain.model.LockMode;
import tracker.locks.domain.model.QueueFilter;
import tracker.locks.domain.model.WaitingClient;
import tracker.locks.domain.model.InvalidLockRequestException;
import tracker.locks.domain.model.Lock;
import tracker.locks.domain.model.LockEvent;
import tracker.locks.domain.model.LockEventPage;
import tracker.locks.domain.model.LockPage;
import tracker.locks.domain.model.PageRequest;
import tracker.locks.domain.port.in.AcquireLockCommand;
import tracker.locks.domain.port.in.LockUseCases;

/**
 * The one mapping between the domain's types and the {@code tracker.lock.v1alpha1} wire types, both ways.
 * proto3 strings cannot be null: an empty string on the wire means "not set".
 */
final class LockMessages {

    /**
     * google.protobuf.Duration's own valid range, about 10,000 years: beyond it a duration is malformed, and Java's
     * arithmetic on it (seconds near Long.MIN_VALUE) would overflow.
     */
    private static final long MAX_DURATION_SECONDS = 315_576_000_000L;

    private LockMessages() {
    }

    static AcquireLockCommand toCommand(CreateLockRequest request) {
        AcquireLockCommand command = AcquireLockCommand.of(
                absentIfEmpty(request.getService()),
                absentIfEmpty(request.getWho()),
                absentIfEmpty(request.getEnvironment()),
                absentIfEmpty(request.getResource()),
                absentIfEmpty(request.getEventId()));
        if (request.hasTtl()) {
            command = command.withTtl(toDuration("ttl", request.getTtl()));
        }
        if (request.hasWait()) {
            command = command.withWait(toDuration("wait", request.getWait()));
        }
        Integer limit = request.hasLimit() ? limitOf(request.getLimit().getValue()) : null;
        return command.withRule(HolderRule.of(limit, LockMode.parse(request.getMode())));
    }

    /** uint32 on the wire: past Integer.MAX_VALUE Java sees it as negative; the domain checks the range. */
    private static int limitOf(int wire) {
        long limit = Integer.toUnsignedLong(wire);
        if (limit > HolderRule.MAX_HOLDERS) {
            throw new InvalidLockRequestException("limit",
                    "limit must be between 1 and " + HolderRule.MAX_HOLDERS + ", got " + limit);
        }
        return (int) limit;
    }

    static QueueFilter toFilter(ListLockQueueRequest request) {
        return QueueFilter.of(absentIfEmpty(request.getService()), request.getEnvironment(), request.getResource());
    }

    static ListLockQueueResponse queue(List<WaitingClient> waiting) {
        ListLockQueueResponse.Builder response = ListLockQueueResponse.newBuilder();
        LockKey line = null;
        int position = 0;
        for (WaitingClient client : waiting) {
            position = client.key().equals(line) ? position + 1 : 1;
            line = client.key();
            response.addWaiters(tracker.lock.v1alpha1.WaitingClient.newBuilder()
                    .setService(client.key().service())
                    .setEnvironment(client.key().environment())
                    .setResource(client.key().resource())
                    .setWho(client.who())
                    .setOwner(client.owner() == null ? "" : client.owner())
                    .setMode(client.rule().mode().wireName())
                    .setLimit(client.rule().limit() > 1 ? client.rule().limit() : 0)
                    .setSince(toTimestamp(client.since()))
                    .setPosition(position));
        }
        return response.build();
    }

    /** The renewal's lease, or null (the server's default) when unset. */
    static Duration ttlOf(RenewLockRequest request) {
        return request.hasTtl() ? toDuration("ttl", request.getTtl()) : null;
    }

    /** A wire duration; the domain checks that it is positive and within the server's limits. */
    static Duration toDuration(String field, com.google.protobuf.Duration duration) {
        boolean mixedSigns = (duration.getSeconds() > 0 && duration.getNanos() < 0)
                || (duration.getSeconds() < 0 && duration.getNanos() > 0);
        // Not Math.abs: it leaves Long.MIN_VALUE and Integer.MIN_VALUE negative.
        boolean outOfRange = duration.getSeconds() < -MAX_DURATION_SECONDS || duration.getSeconds() > MAX_DURATION_SECONDS
                || duration.getNanos() < -999_999_999 || duration.getNanos() > 999_999_999;
        if (mixedSigns || outOfRange) {
            throw new InvalidLockRequestException(field, field + " is not a valid duration: " + duration);
        }
        return Duration.ofSeconds(duration.getSeconds(), duration.getNanos());
    }

    /** Absent wrappers take the defaults (page 1, 100 per page); the domain checks the ranges. */
    static PageRequest toPageRequest(ListLocksRequest request) {
        return toPageRequest(request.hasPage() ? request.getPage().getValue() : 1,
                request.hasPerPage() ? request.getPerPage().getValue() : null);
    }

    static PageRequest toPageRequest(ListLockHistoryRequest request) {
        return toPageRequest(request.hasPage() ? request.getPage().getValue() : 1,
                request.hasPerPage() ? request.getPerPage().getValue() : null);
    }

    static HistoryFilter toFilter(ListLockHistoryRequest request) {
        return HistoryFilter.of(request.getService(), request.getEnvironment(), request.getResource());
    }

    private static PageRequest toPageRequest(int page, Integer wirePerPage) {
        if (wirePerPage == null) {
            return new PageRequest(page, PageRequest.DEFAULT_PER_PAGE);
        }
        // per_page is unsigned on the wire: past Integer.MAX_VALUE Java sees it as negative.
        long perPage = Integer.toUnsignedLong(wirePerPage);
        if (perPage > Integer.MAX_VALUE) {
            throw new InvalidLockRequestException("per_page",
                    "per_page must be between 1 and " + PageRequest.MAX_PER_PAGE + ", got " + perPage);
        }
        return new PageRequest(page, (int) perPage);
    }

    static CreateLockResponse created(Lock lock) {
        return CreateLockResponse.newBuilder().setLock(toProto(lock)).build();
    }

    static GetLockResponse found(Lock lock, int waiters) {
        return GetLockResponse.newBuilder().setLock(toProto(lock).toBuilder().setWaiters(waiters)).build();
    }

    static RenewLockResponse renewed(Lock lock) {
        return RenewLockResponse.newBuilder().setLock(toProto(lock)).build();
    }

    static UnLockResponse released(String id) {
        return UnLockResponse.newBuilder().setMessage(LockUseCases.RELEASED).setId(id).setCount(1).build();
    }

    static ListLocksResponse page(LockPage page) {
        ListLocksResponse.Builder response = ListLocksResponse.newBuilder()
                // uint32 on the wire: the int's bits are read as unsigned, so saturate at 2^32 - 1, not 2^31 - 1.
                .setTotalCount((int) Math.min(page.total(), 0xFFFF_FFFFL));
        page.locks().forEach(lock -> response.addLocks(toProto(lock).toBuilder().setWaiters(page.waitersFor(lock))));
        return response.build();
    }

    static ListLockHistoryResponse historyPage(LockEventPage page) {
        ListLockHistoryResponse.Builder response = ListLockHistoryResponse.newBuilder()
                .setTotalCount((int) Math.min(page.total(), 0xFFFF_FFFFL));
        page.events().forEach(event -> response.addEvents(toProto(event)));
        return response.build();
    }

    static GetLockHistoryResponse history(List<LockEvent> events) {
        GetLockHistoryResponse.Builder response = GetLockHistoryResponse.newBuilder();
        events.forEach(event -> response.addEvents(toProto(event)));
        return response.build();
    }

    static tracker.lock.v1alpha1.LockEvent toProto(LockEvent event) {
        tracker.lock.v1alpha1.LockEvent.Builder wire = tracker.lock.v1alpha1.LockEvent.newBuilder()
                .setLockId(event.lockId().toString())
                .setService(event.key().service())
                .setEnvironment(event.key().environment())
                .setResource(event.key().resource())
                .setWho(event.who())
                .setOwner(event.owner() == null ? "" : event.owner())
                .setToken(event.token())
                .setAction(event.action().word())
                .setAt(toTimestamp(event.at()))
                .setBy(event.by() == null ? "" : event.by());
        if (event.expiresAt() != null) {
            wire.setExpiresAt(toTimestamp(event.expiresAt()));
        }
        return wire.build();
    }

    static tracker.lock.v1alpha1.Lock toProto(Lock lock) {
        tracker.lock.v1alpha1.Lock.Builder wire = tracker.lock.v1alpha1.Lock.newBuilder()
                .setId(lock.id().toString())
                .setService(lock.service())
                .setWho(lock.who())
                .setCreatedAt(toTimestamp(lock.createdAt()))
                .setEnvironment(lock.key().environment())
                .setResource(lock.key().resource())
                .setEventId(lock.optionalEventId().orElse(""))
                .setToken(lock.token())
                .setOwner(lock.owner() == null ? "" : lock.owner());
        // Like REST, only what differs from the guide's lock: a plain lock's answer stays exactly as it was.
        if (lock.rule().limit() > 1) {
            wire.setLimit(lock.rule().limit());
        }
        if (lock.rule().mode() == LockMode.SHARED) {
            wire.setMode(lock.rule().mode().wireName());
        }
        lock.expiry().ifPresent(expiresAt -> wire.setExpiresAt(toTimestamp(expiresAt)));
        return wire.build();
    }

    /** Full precision: unlike REST's whole seconds, gRPC carries every digit the store kept. */
    static Timestamp toTimestamp(Instant instant) {
        return Timestamp.newBuilder().setSeconds(instant.getEpochSecond()).setNanos(instant.getNano()).build();
    }

    /** The request field a domain field came from, as a gRPC client spells it. */
    static String wireFieldName(String domainField) {
        return "eventId".equals(domainField) ? "event_id" : domainField;
    }

    private static String absentIfEmpty(String value) {
        return value.isEmpty() ? null : value;
    }
}
