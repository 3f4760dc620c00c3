package tracker.locks.grpc;

import io.grpc.Context;
import io.grpc.ServerInterceptors;
import io.grpc.ServerServiceDefinition;
import io.grpc.stub.StreamObserver;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import tracker.lock.v1alpha1.CreateLockRequest;
import tracker.lock.v1alpha1.CreateLockResponse;
import tracker.lock.v1alpha1.GetLockHistoryRequest;
import tracker.lock.v1alpha1.GetLockHistoryResponse;
import tracker.lock.v1alpha1.GetLockRequest;
import tracker.lock.v1alpha1.GetLockResponse;
import tracker.lock.v1alpha1.ListLockHistoryRequest;
import tracker.lock.v1alpha1.ListLockHistoryResponse;
import tracker.lock.v1alpha1.ListLockQueueRequest;
import tracker.lock.v1alpha1.ListLockQueueResponse;
import tracker.locks.domain.model.Lock;
import tracker.locks.domain.model.QueueFilter;
import tracker.lock.v1alpha1.ListLocksRequest;
import tracker.lock.v1alpha1.ListLocksResponse;
import tracker.lock.v1alpha1.LockServiceGrpc;
import tracker.lock.v1alpha1.RenewLockRequest;
import tracker.lock.v1alpha1.RenewLockResponse;
import tracker.lock.v1alpha1.UnLockRequest;
import tracker.lock.v1alpha1.UnLockResponse;
import tracker.locks.domain.port.in.Completion;
import tracker.locks.domain.port.in.LockGate;
import tracker.locks.domain.port.in.LockUseCases;

/**
 * The {@code tracker.lock.v1alpha1.LockService} RPCs over the domain's use cases. Methods only translate:
 * failures are thrown on, and {@link LockErrorInterceptor} turns them into statuses.
 */
public final class LockGrpcService extends LockServiceGrpc.LockServiceImplBase {

    private static final System.Logger LOG = System.getLogger(LockGrpcService.class.getName());

    private final LockGate gate;

    // Not public: served bare, a thrown exception would reach clients as UNKNOWN. Use definition().
    LockGrpcService(LockGate gate) {
        this.gate = Objects.requireNonNull(gate, "gate");
    }

    /**
     * LockService behind {@code gate}, ready to add to any gRPC server: with its error mapping, deadline guard and
     * the caller's credentials; a request whose bytes do not parse is INVALID_ARGUMENT.
     */
    public static ServerServiceDefinition definition(LockGate gate) {
        // The last interceptor sees a call first: note the credentials, drop dead calls, then map what is thrown.
        return UnreadableMessages.refused(ServerInterceptors.intercept(new LockGrpcService(gate),
                new LockErrorInterceptor(), new CancelledCallInterceptor(), new CallCredentials()));
    }

    /** The locks as this call's client may use them, by the bearer token of its {@code authorization} metadata. */
    private LockUseCases locks() {
        return gate.enter(CallCredentials.bearerToken(), CallCredentials.client());
    }

    @Override
    public void createLock(CreateLockRequest request, StreamObserver<CreateLockResponse> responses) {
        // A client that cancels or passes its deadline while waiting stops the wait and is left holding nothing.
        Context call = Context.current();
        CompletableFuture<Lock> answer = locks().acquireAsync(LockMessages.toCommand(request), call::isCancelled);
        if (answer.isDone()) {
            // Answered at once: a failure is thrown here, to LockErrorInterceptor.
            answer(responses, LockMessages.created(Completion.value(answer)));
            return;
        }
        // A waiting client holds no thread: the call is answered when the wait ends, a failure with the status the
        // one mapper picks, as the interceptor would.
        answer.whenComplete((lock, failure) -> {
            try {
                if (failure == null) {
                    answer(responses, LockMessages.created(lock));
                } else {
                    responses.onError(GrpcErrorMapper.toStatusException(Completion.cause(failure)));
                }
            } catch (RuntimeException late) {
                LOG.log(System.Logger.Level.WARNING, "could not answer a waiting CreateLock", late);
            }
        });
    }

    @Override
    public void renewLock(RenewLockRequest request, StreamObserver<RenewLockResponse> responses) {
        answer(responses, LockMessages.renewed(locks().renew(request.getId(), LockMessages.ttlOf(request))));
    }

    @Override
    public void getLock(GetLockRequest request, StreamObserver<GetLockResponse> responses) {
        LockUseCases locks = locks();
        Lock lock = locks.get(request.getId());
        answer(responses, LockMessages.found(lock, locks.queue(QueueFilter.exactly(lock.key())).size()));
    }

    @Override
    public void unLock(UnLockRequest request, StreamObserver<UnLockResponse> responses) {
        locks().release(request.getId());
        answer(responses, LockMessages.released(request.getId()));
    }

    @Override
    public void listLocks(ListLocksRequest request, StreamObserver<ListLocksResponse> responses) {
        answer(responses, LockMessages.page(locks().list(LockMessages.toPageRequest(request))));
    }

    @Override
    public void listLockHistory(ListLockHistoryRequest request, StreamObserver<ListLockHistoryResponse> responses) {
        answer(responses, LockMessages.historyPage(locks().history(LockMessages.toFilter(request),
                LockMessages.toPageRequest(request))));
    }

    @Override
    public void getLockHistory(GetLockHistoryRequest request, StreamObserver<GetLockHistoryResponse> responses) {
        answer(responses, LockMessages.history(locks().history(request.getId())));
    }

    @Override
    public void listLockQueue(ListLockQueueRequest request, StreamObserver<ListLockQueueResponse> responses) {
        answer(responses, LockMessages.queue(locks().queue(LockMessages.toFilter(request))));
    }

    private static <T> void answer(StreamObserver<T> responses, T response) {
        responses.onNext(response);
        responses.onCompleted();
    }
}
