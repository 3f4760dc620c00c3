package tracker.locks.grpc;

import com.google.protobuf.Any;
import com.google.rpc.BadRequest;
import com.google.rpc.Code;
import com.google.rpc.ErrorInfo;
import com.google.rpc.ResourceInfo;
import com.google.rpc.RetryInfo;
import io.grpc.StatusRuntimeException;
import io.grpc.protobuf.StatusProto;
import java.lang.System.Logger.Level;
import tracker.lock.v1alpha1.LockHeld;
import tracker.locks.domain.model.AccessDeniedException;
import tracker.locks.domain.model.AuthenticationRequiredException;
import tracker.locks.domain.model.CallerGoneException;
import tracker.locks.domain.model.InvalidLockRequestException;
import tracker.locks.domain.model.Lock;
import tracker.locks.domain.model.LockHeldException;
import tracker.locks.domain.model.LockNotFoundException;
import tracker.locks.domain.model.LockStoreUnavailableException;
import tracker.locks.domain.model.ServiceStoppingException;
import tracker.locks.domain.model.TooManyFailedAuthenticationsException;

/**
 * Decides the gRPC status of every failure of a lock RPC: the one place, so service methods need no try/catch.
 * Descriptions are for people; the {@code google.rpc.Status} details are for programs.
 */
final class GrpcErrorMapper {

    /** {@code ErrorInfo.domain} of our errors. */
    static final String ERROR_DOMAIN = "tracker.lock.v1alpha1";
    /** {@code ErrorInfo.reason} of ALREADY_EXISTS. */
    static final String LOCK_HELD_REASON = "LOCK_HELD";

    // Ids are echoed into the grpc-message header; a caller's megabyte of "id" must not blow the client's
    // header limit. Real ids are 36 characters.
    private static final int MAX_ECHOED_ID_LENGTH = 64;

    private static final System.Logger LOG = System.getLogger(GrpcErrorMapper.class.getName());

    private GrpcErrorMapper() {
    }

    static StatusRuntimeException toStatusException(Throwable failure) {
        if (failure instanceof LockHeldException held) {
            return lockHeld(held);
        }
        if (failure instanceof LockNotFoundException notFound) {
            return lockNotFound(notFound.id());
        }
        if (failure instanceof InvalidLockRequestException invalid) {
            return invalidArgument(invalid);
        }
        if (failure instanceof AuthenticationRequiredException unauthenticated) {
            return status(Code.UNAUTHENTICATED, unauthenticated.getMessage());
        }
        if (failure instanceof AccessDeniedException denied) {
            return status(Code.PERMISSION_DENIED, denied.getMessage());
        }
        if (failure instanceof TooManyFailedAuthenticationsException tooMany) {
            return tooManyFailures(tooMany);
        }
        if (failure instanceof CallerGoneException) {
            return status(Code.CANCELLED, "the client gave up waiting");
        }
        if (failure instanceof ServiceStoppingException stopping) {
            return status(Code.UNAVAILABLE, stopping.getMessage());
        }
        if (failure instanceof LockStoreUnavailableException unavailable) {
            // The cause may name hosts or SQL: the client learns only that it may retry. One line per request, no trace.
            LOG.log(Level.WARNING, "lock store unavailable: {0}", failure.getMessage());
            // Still UNAVAILABLE (clients retry it), but saying that this change may already have been made.
            return status(Code.UNAVAILABLE, unavailable.outcomeUnknown()
                    ? "lock store unavailable during the request, which may have taken effect: look for your lock"
                            + " (your who in the list) before trying again"
                    : "lock store unavailable, try again shortly");
        }
        LOG.log(Level.ERROR, "unexpected failure in a lock RPC", failure);
        return status(Code.INTERNAL, "internal error");
    }

    private static StatusRuntimeException lockHeld(LockHeldException held) {
        Lock holder = held.holder();
        String description = held.getMessage() + (held.reason() == LockHeldException.Reason.HELD ? ": " : "; ")
                + "held by " + holder.who() + " since " + holder.createdAt()
                + " (lock id " + holder.id() + ")"
                + (held.holders().size() > 1 ? " and " + (held.holders().size() - 1) + " more" : "");
        tracker.lock.v1alpha1.Lock wireHolder = LockMessages.toProto(holder);
        // LockHeld carries the whole holder for clients built from our .proto; ErrorInfo says the same in the
        // standard vocabulary for clients that only know google.rpc.
        ErrorInfo errorInfo = ErrorInfo.newBuilder()
                .setReason(LOCK_HELD_REASON)
                .setDomain(ERROR_DOMAIN)
                .putMetadata("lock_id", wireHolder.getId())
                .putMetadata("service", wireHolder.getService())
                .putMetadata("who", wireHolder.getWho())
                .putMetadata("created_at", holder.createdAt().toString())
                .putMetadata("token", Long.toString(holder.token()))
                // What a program needs to tell the conflicts apart: no room, another limit, a waiting writer.
                .putMetadata("conflict", held.reason().name().toLowerCase(java.util.Locale.ROOT))
                .putMetadata("holders", Integer.toString(held.holders().size()))
                .putMetadata("limit", Integer.toString(holder.rule().limit()))
                .build();
        return StatusProto.toStatusRuntimeException(com.google.rpc.Status.newBuilder()
                .setCode(Code.ALREADY_EXISTS_VALUE)
                .setMessage(description)
                .addDetails(Any.pack(LockHeld.newBuilder().setHolder(wireHolder)
                        .addAllHolders(held.holders().stream().map(LockMessages::toProto).toList()).build()))
                .addDetails(Any.pack(errorInfo))
                .build());
    }

    private static StatusRuntimeException lockNotFound(String id) {
        String echoed = abbreviated(id == null ? "" : id);
        return StatusProto.toStatusRuntimeException(com.google.rpc.Status.newBuilder()
                .setCode(Code.NOT_FOUND_VALUE)
                .setMessage("lock not found: " + echoed)
                .addDetails(Any.pack(ResourceInfo.newBuilder()
                        .setResourceType(tracker.lock.v1alpha1.Lock.getDescriptor().getFullName())
                        .setResourceName(echoed)
                        .setDescription("no lock is held under this id")
                        .build()))
                .build());
    }

    private static StatusRuntimeException invalidArgument(InvalidLockRequestException invalid) {
        BadRequest.FieldViolation violation = BadRequest.FieldViolation.newBuilder()
                .setField(LockMessages.wireFieldName(invalid.field()))
                .setDescription(invalid.getMessage())
                .build();
        return StatusProto.toStatusRuntimeException(com.google.rpc.Status.newBuilder()
                .setCode(Code.INVALID_ARGUMENT_VALUE)
                .setMessage(invalid.getMessage())
                .addDetails(Any.pack(BadRequest.newBuilder().addFieldViolations(violation).build()))
                .build());
    }

    /** RESOURCE_EXHAUSTED with a standard RetryInfo: how long until this client may try again. */
    private static StatusRuntimeException tooManyFailures(TooManyFailedAuthenticationsException tooMany) {
        RetryInfo retry = RetryInfo.newBuilder()
                .setRetryDelay(com.google.protobuf.Duration.newBuilder().setSeconds(tooMany.retryAfter().toSeconds()))
                .build();
        return StatusProto.toStatusRuntimeException(com.google.rpc.Status.newBuilder()
                .setCode(Code.RESOURCE_EXHAUSTED_VALUE)
                .setMessage(tooMany.getMessage())
                .addDetails(Any.pack(retry))
                .build());
    }

    private static StatusRuntimeException status(Code code, String description) {
        return StatusProto.toStatusRuntimeException(com.google.rpc.Status.newBuilder()
                .setCode(code.getNumber())
                .setMessage(description)
                .build());
    }

    private static String abbreviated(String id) {
        return id.length() <= MAX_ECHOED_ID_LENGTH ? id : id.substring(0, MAX_ECHOED_ID_LENGTH) + "...";
    }
}
