package tracker.locks.grpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.google.protobuf.Duration;
import com.google.rpc.RetryInfo;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.protobuf.StatusProto;
import java.time.Instant;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BiConsumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import tracker.lock.v1alpha1.CreateLockRequest;
import tracker.lock.v1alpha1.GetLockRequest;
import tracker.lock.v1alpha1.ListLocksRequest;
import tracker.lock.v1alpha1.ListLocksResponse;
import tracker.lock.v1alpha1.Lock;
import tracker.lock.v1alpha1.LockServiceGrpc.LockServiceBlockingStub;
import tracker.lock.v1alpha1.RenewLockRequest;
import tracker.lock.v1alpha1.UnLockRequest;
import tracker.locks.domain.model.Principal;
import tracker.locks.domain.model.Scope;
import tracker.locks.domain.model.ServicePatterns;
import tracker.locks.domain.service.AccessControl;
import tracker.locks.domain.testing.LockServices;
import tracker.locks.domain.testing.MutableClock;

/**
 * Every RPC × every kind of caller, with the token in the {@code authorization} metadata: no token and an unknown
 * one are UNAUTHENTICATED, a token without the scope or outside its services PERMISSION_DENIED naming what is
 * missing, the right token succeeds.
 */
class GrpcAuthorizationTest {

    private static final String DEPLOYER = "secret-deployer";
    private static final String READER = "secret-reader";
    private static final String WRITER = "secret-writer";
    private static final String ADMIN = "secret-admin";
    private static final String OTHER = "secret-other";

    private final MutableClock clock = new MutableClock(Instant.parse("2024-01-15T10:00:00Z"));
    private final Map<String, Principal> issued = Map.of(
            DEPLOYER, new Principal("ci-deployer", EnumSet.of(Scope.READ, Scope.WRITE),
                    new ServicePatterns(List.of("deploy-*"))),
            OTHER, new Principal("ci-other", EnumSet.of(Scope.READ, Scope.WRITE), ServicePatterns.ALL),
            READER, new Principal("dashboard", EnumSet.of(Scope.READ), ServicePatterns.ALL),
            WRITER, new Principal("fire-and-forget", EnumSet.of(Scope.WRITE), ServicePatterns.ALL),
            ADMIN, new Principal("on-call", EnumSet.of(Scope.ADMIN), ServicePatterns.ALL));
    private final InProcessLockServer server = InProcessLockServer.behind(AccessControl.withTokens(
            LockServices.inMemory(clock), secret -> Optional.ofNullable(issued.get(secret)), clock));
    private final Lock deployersLock = server.blockingStub(DEPLOYER).createLock(create("deploy-web")).getLock();
    private final Lock otherServicesLock = server.blockingStub(ADMIN).createLock(create("nightly")).getLock();

    /** An RPC, called on a lock of the deployer's service ({@code inService}) or of another service. */
    private enum Rpc {
        CREATE_LOCK(Scope.WRITE, (stub, lock) -> stub.createLock(create(lock.getService() + "-2"))),
        GET_LOCK(Scope.READ, (stub, lock) -> stub.getLock(GetLockRequest.newBuilder().setId(lock.getId()).build())),
        RENEW_LOCK(Scope.WRITE, (stub, lock) -> stub.renewLock(RenewLockRequest.newBuilder().setId(lock.getId())
                .setTtl(Duration.newBuilder().setSeconds(600)).build())),
        UN_LOCK(Scope.WRITE, (stub, lock) -> stub.unLock(UnLockRequest.newBuilder().setId(lock.getId()).build())),
        LIST_LOCKS(Scope.READ, (stub, lock) -> stub.listLocks(ListLocksRequest.getDefaultInstance())),
        LIST_LOCK_QUEUE(Scope.READ, (stub, lock) -> stub.listLockQueue(
                tracker.lock.v1alpha1.ListLockQueueRequest.newBuilder().setService(lock.getService()).build()));

        final Scope scope;
        final BiConsumer<LockServiceBlockingStub, Lock> call;

        Rpc(Scope scope, BiConsumer<LockServiceBlockingStub, Lock> call) {
            this.scope = scope;
            this.call = call;
        }
    }

    static Stream<Arguments> rpcs() {
        return Stream.of(Rpc.values()).map(Arguments::of);
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rpcs")
    void withoutATokenIsUnauthenticated(Rpc rpc) {
        StatusRuntimeException refused = failure(() -> rpc.call.accept(server.blockingStub(), deployersLock));

        assertThat(refused.getStatus().getCode()).isEqualTo(Status.Code.UNAUTHENTICATED);
        assertThat(refused.getStatus().getDescription()).contains("a bearer token is required");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rpcs")
    void anUnknownTokenIsUnauthenticated(Rpc rpc) {
        StatusRuntimeException refused = failure(() -> rpc.call.accept(server.blockingStub("guessed"), deployersLock));

        assertThat(refused.getStatus().getCode()).isEqualTo(Status.Code.UNAUTHENTICATED);
        assertThat(refused.getStatus().getDescription()).isEqualTo("unknown or revoked token");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rpcs")
    void aTokenWithoutTheScopeIsPermissionDeniedNamingIt(Rpc rpc) {
        String token = rpc.scope == Scope.READ ? WRITER : READER;
        StatusRuntimeException refused = failure(() -> rpc.call.accept(server.blockingStub(token), deployersLock));

        assertThat(refused.getStatus().getCode()).isEqualTo(Status.Code.PERMISSION_DENIED);
        assertThat(refused.getStatus().getDescription())
                .contains("lacks the " + rpc.scope.name().toLowerCase() + " scope");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rpcs")
    void aTokenOutsideItsServicesIsPermissionDeniedNamingTheService(Rpc rpc) {
        LockServiceBlockingStub deployer = server.blockingStub(DEPLOYER);
        if (rpc == Rpc.LIST_LOCKS) {
            // A list is not refused: it shows only what the token may see, and counts only that.
            ListLocksResponse page = deployer.listLocks(ListLocksRequest.getDefaultInstance());
            assertThat(page.getTotalCount()).isEqualTo(1);
            assertThat(page.getLocksList()).extracting(Lock::getService).containsExactly("deploy-web");
            return;
        }
        StatusRuntimeException refused = failure(() -> rpc.call.accept(deployer, otherServicesLock));

        assertThat(refused.getStatus().getCode()).isEqualTo(Status.Code.PERMISSION_DENIED);
        assertThat(refused.getStatus().getDescription()).contains("may not use service nightly").contains("deploy-*");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rpcs")
    void theRightTokenSucceeds(Rpc rpc) {
        rpc.call.accept(server.blockingStub(DEPLOYER), deployersLock);
    }

    @Test
    void aLockCarriesItsOwner() {
        assertThat(deployersLock.getOwner()).isEqualTo("ci-deployer");
        assertThat(deployersLock.getWho()).isEqualTo("ci");
        assertThat(server.blockingStub(READER).getLock(GetLockRequest.newBuilder().setId(deployersLock.getId())
                .build()).getLock().getOwner()).isEqualTo("ci-deployer");
    }

    @Test
    void releasingOrRenewingAnotherPrincipalsLockNeedsAdmin() {
        LockServiceBlockingStub other = server.blockingStub(OTHER);
        for (Rpc rpc : List.of(Rpc.RENEW_LOCK, Rpc.UN_LOCK)) {
            StatusRuntimeException refused = failure(() -> rpc.call.accept(other, deployersLock));
            assertThat(refused.getStatus().getCode()).as(rpc.name()).isEqualTo(Status.Code.PERMISSION_DENIED);
            assertThat(refused.getStatus().getDescription()).contains("owned by ci-deployer").contains("admin");
        }

        LockServiceBlockingStub admin = server.blockingStub(ADMIN);
        Rpc.RENEW_LOCK.call.accept(admin, deployersLock);
        Rpc.UN_LOCK.call.accept(admin, deployersLock);
    }

    @Test
    void aClientThatKeepsPresentingWrongTokensIsToldToComeBackLater() throws Exception {
        for (int attempt = 0; attempt < 10; attempt++) {
            LockServiceBlockingStub guesser = server.blockingStub("guess-" + attempt);
            assertThat(failure(() -> Rpc.LIST_LOCKS.call.accept(guesser, null))
                    .getStatus().getCode()).isEqualTo(Status.Code.UNAUTHENTICATED);
        }

        StatusRuntimeException slowedDown = failure(() -> Rpc.LIST_LOCKS.call.accept(server.blockingStub(ADMIN), null));

        assertThat(slowedDown.getStatus().getCode()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
        RetryInfo retry = StatusProto.fromThrowable(slowedDown).getDetails(0).unpack(RetryInfo.class);
        assertThat(retry.getRetryDelay().getSeconds()).isEqualTo(60);
    }

    private static CreateLockRequest create(String service) {
        return CreateLockRequest.newBuilder().setService(service).setWho("ci").build();
    }

    private static StatusRuntimeException failure(Runnable call) {
        return catchThrowableOfType(StatusRuntimeException.class, call::run);
    }
}
