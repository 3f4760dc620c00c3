package tracker.locks.grpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.google.protobuf.Any;
import com.google.protobuf.Int32Value;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.UInt32Value;
import com.google.rpc.BadRequest;
import com.google.rpc.ErrorInfo;
import com.google.rpc.ResourceInfo;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.protobuf.StatusProto;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;
import tracker.lock.v1alpha1.CreateLockRequest;
import tracker.lock.v1alpha1.GetLockRequest;
import tracker.lock.v1alpha1.ListLocksRequest;
import tracker.lock.v1alpha1.Lock;
import tracker.lock.v1alpha1.LockHeld;
import tracker.lock.v1alpha1.LockServiceGrpc.LockServiceBlockingStub;
import tracker.lock.v1alpha1.UnLockRequest;
import tracker.locks.domain.model.LockStoreUnavailableException;
import tracker.locks.domain.model.ServiceStoppingException;
import tracker.locks.domain.port.in.LockUseCases;
import tracker.locks.domain.testing.FailingLockUseCases;
import tracker.locks.domain.testing.MutableClock;

class LockGrpcErrorsTest {

    @RegisterExtension
    final InMemoryGrpcLocks grpc = new InMemoryGrpcLocks(Instant.parse("2024-01-15T09:55:00.654321Z"));
    private final MutableClock clock = grpc.clock();
    private final LockServiceBlockingStub locks = grpc.stub();

    // ALREADY_EXISTS

    @Test
    void aHeldKeyIsAlreadyExistsNamingTheHolderInTheDescription() {
        Lock holder = locks.createLock(request("production-deployment", "other-pipeline")).getLock();
        clock.advance(Duration.ofMinutes(5));

        StatusRuntimeException e = failure(() -> locks.createLock(request("production-deployment", "ci-123")));

        assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.ALREADY_EXISTS);
        assertThat(e.getStatus().getDescription())
                .contains(holder.getId())
                .contains("other-pipeline")
                .contains("2024-01-15T09:55:00.654321Z");
    }

    @Test
    void aHeldKeyCarriesTheHolderAsAStructuredDetail() throws InvalidProtocolBufferException {
        Lock holder = locks.createLock(request("deploy", "other-pipeline").toBuilder()
                .setEnvironment("prod").setEventId("evt-1").build()).getLock();

        StatusRuntimeException e = failure(() -> locks.createLock(request("deploy", "ci-123").toBuilder()
                .setEnvironment("prod").build()));

        com.google.rpc.Status status = StatusProto.fromThrowable(e);
        assertThat(status).isNotNull();
        assertThat(status.getCode()).isEqualTo(Status.Code.ALREADY_EXISTS.value());
        Lock decoded = detail(status, LockHeld.class).getHolder();
        assertThat(decoded).isEqualTo(holder);
        assertThat(decoded.getCreatedAt().getNanos()).isEqualTo(654_321_000);

        ErrorInfo info = detail(status, ErrorInfo.class);
        assertThat(info.getReason()).isEqualTo("LOCK_HELD");
        assertThat(info.getMetadataMap())
                .containsEntry("lock_id", holder.getId())
                .containsEntry("who", "other-pipeline")
                .containsEntry("created_at", "2024-01-15T09:55:00.654321Z");
    }

    // NOT_FOUND

    static Stream<Arguments> idsThatNameNoLock() {
        List<String> ids = List.of(UUID.randomUUID().toString(), "507f1f77bcf86cd799439011", "", "../x",
                "not a uuid at all");
        return ids.stream().flatMap(id -> Stream.of(Arguments.of("GetLock", id), Arguments.of("UnLock", id)));
    }

    @ParameterizedTest(name = "{0}(\"{1}\")")
    @MethodSource("idsThatNameNoLock")
    void anIdThatNamesNoLockIsNotFound(String rpc, String id) throws InvalidProtocolBufferException {
        StatusRuntimeException e = failure(() -> callWithId(rpc, id));

        assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.NOT_FOUND);
        assertThat(e.getStatus().getDescription()).isEqualTo("lock not found: " + id);
        assertThat(detail(StatusProto.fromThrowable(e), ResourceInfo.class).getResourceName()).isEqualTo(id);
    }

    @Test
    void aReleasedLockIsNotFound() {
        String id = locks.createLock(request("deploy", "ci")).getLock().getId();
        locks.unLock(UnLockRequest.newBuilder().setId(id).build());

        assertThat(failure(() -> callWithId("GetLock", id)).getStatus().getCode()).isEqualTo(Status.Code.NOT_FOUND);
        assertThat(failure(() -> callWithId("UnLock", id)).getStatus().getCode()).isEqualTo(Status.Code.NOT_FOUND);
    }

    @Test
    void aHugeUnknownIdIsEchoedShortened() {
        String id = "x".repeat(10_000);

        StatusRuntimeException e = failure(() -> callWithId("GetLock", id));

        assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.NOT_FOUND);
        assertThat(e.getStatus().getDescription()).startsWith("lock not found: xxx").hasSizeLessThan(100);
    }

    // INVALID_ARGUMENT

    static Stream<Arguments> badRequiredFields() {
        return Stream.of("service", "who").flatMap(field -> Stream.of(
                Arguments.of(field, "missing", ""),
                Arguments.of(field, "blank", "   "),
                Arguments.of(field, "256 characters", "s".repeat(256)),
                Arguments.of(field, "a newline", "line\nbreak"),
                Arguments.of(field, "a NUL", "nul\u0000"),
                Arguments.of(field, "an escape", "esc\u001b[31m")));
    }

    @ParameterizedTest(name = "{0} with {1}")
    @MethodSource("badRequiredFields")
    void aBadRequiredFieldIsInvalidArgumentNamingIt(String field, String what, String value)
            throws InvalidProtocolBufferException {
        CreateLockRequest.Builder request = request("deploy", "ci").toBuilder();
        if (field.equals("service")) {
            request.setService(value);
        } else {
            request.setWho(value);
        }

        StatusRuntimeException e = failure(() -> locks.createLock(request.build()));

        assertInvalidArgumentNaming(e, field);
    }

    @ParameterizedTest
    @ValueSource(strings = {"environment", "resource", "event_id"})
    void anOversizedOptionalFieldIsInvalidArgumentNamingIt(String field) throws InvalidProtocolBufferException {
        CreateLockRequest.Builder request = request("deploy", "ci").toBuilder();
        request.setField(CreateLockRequest.getDescriptor().findFieldByName(field), "v".repeat(256));

        assertInvalidArgumentNaming(failure(() -> locks.createLock(request.build())), field);
    }

    @Test
    void optionalFieldsOfTheLongestLengthAreAccepted() {
        Lock lock = locks.createLock(request("s".repeat(255), "w".repeat(255)).toBuilder()
                .setEnvironment("e".repeat(255)).setResource("r".repeat(255)).setEventId("i".repeat(255))
                .build()).getLock();

        assertThat(lock.getEventId()).hasSize(255);
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1001, -1 /* 4294967295 as uint32 */})
    void aPerPageOutsideOneToAThousandIsInvalidArgument(int perPage) throws InvalidProtocolBufferException {
        StatusRuntimeException e = failure(() -> locks.listLocks(
                ListLocksRequest.newBuilder().setPerPage(UInt32Value.of(perPage)).build()));

        assertInvalidArgumentNaming(e, "per_page");
    }

    @ParameterizedTest
    @ValueSource(ints = {0, -1, Integer.MIN_VALUE})
    void aPageBelowOneIsInvalidArgument(int page) throws InvalidProtocolBufferException {
        StatusRuntimeException e = failure(() -> locks.listLocks(
                ListLocksRequest.newBuilder().setPage(Int32Value.of(page)).build()));

        assertInvalidArgumentNaming(e, "page");
    }

    // UNAVAILABLE and INTERNAL, for every RPC

    static Stream<Arguments> everyRpc() {
        return Stream.<Consumer<LockServiceBlockingStub>>of(
                        stub -> stub.createLock(request("deploy", "ci")),
                        stub -> stub.getLock(GetLockRequest.newBuilder().setId(UUID.randomUUID().toString()).build()),
                        stub -> stub.unLock(UnLockRequest.newBuilder().setId(UUID.randomUUID().toString()).build()),
                        stub -> stub.listLocks(ListLocksRequest.getDefaultInstance()))
                .map(call -> Arguments.of(call));
    }

    @ParameterizedTest
    @MethodSource("everyRpc")
    void anUnreachableStoreIsUnavailableWithoutItsDetails(Consumer<LockServiceBlockingStub> rpc) {
        LockUseCases failing = new FailingLockUseCases(() -> new LockStoreUnavailableException(
                "connection refused: db.internal:5432", new RuntimeException("password authentication failed")));

        try (InProcessLockServer down = InProcessLockServer.direct(failing);
             CapturedLog log = CapturedLog.of(GrpcErrorMapper.class)) {
            StatusRuntimeException e = failure(() -> rpc.accept(down.blockingStub()));

            assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE);
            assertThat(e.getStatus().getDescription()).doesNotContain("db.internal").doesNotContain("password");
            // One line per failed request for the operator, without a stack trace flooding the log in an outage.
            assertThat(log.records()).singleElement().satisfies(logged -> {
                assertThat(logged.getParameters()).containsExactly("connection refused: db.internal:5432");
                assertThat(logged.getThrown()).isNull();
            });
        }
    }

    @ParameterizedTest
    @MethodSource("everyRpc")
    void aChangeCutOffOnItsWayIsUnavailableSayingItMayHaveTakenEffect(Consumer<LockServiceBlockingStub> rpc) {
        LockUseCases failing = new FailingLockUseCases(() -> LockStoreUnavailableException.outcomeUnknown(
                "the connection broke during a change", new RuntimeException("db.internal:5432 reset")));

        try (InProcessLockServer down = InProcessLockServer.direct(failing)) {
            StatusRuntimeException e = failure(() -> rpc.accept(down.blockingStub()));

            assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE);
            assertThat(e.getStatus().getDescription())
                    .startsWith("lock store unavailable during the request, which may have taken effect")
                    .doesNotContain("db.internal");
        }
    }

    @Test
    void aServerShuttingDownIsUnavailableSoTheClientGoesElsewhere() {
        LockUseCases stopping = new FailingLockUseCases(ServiceStoppingException::new);

        try (InProcessLockServer down = InProcessLockServer.direct(stopping)) {
            StatusRuntimeException e = failure(() -> down.blockingStub().createLock(request("deploy", "ci")));

            assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE);
            assertThat(e.getStatus().getDescription())
                    .isEqualTo("the server is shutting down: try again, on another instance");
        }
    }

    @ParameterizedTest
    @MethodSource("everyRpc")
    void anUnexpectedFailureIsInternalWithoutItsMessage(Consumer<LockServiceBlockingStub> rpc) {
        LockUseCases failing = new FailingLockUseCases(() -> new IllegalStateException("SELECT secret FROM x"));

        try (InProcessLockServer broken = InProcessLockServer.direct(failing);
             CapturedLog log = CapturedLog.of(GrpcErrorMapper.class)) {
            StatusRuntimeException e = failure(() -> rpc.accept(broken.blockingStub()));

            assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INTERNAL);
            assertThat(e.getStatus().getDescription()).isEqualTo("internal error");
            assertThat(e.getStatus().getCause()).isNull();
            assertThat(String.valueOf(e.getTrailers())).doesNotContain("SELECT").doesNotContain("secret");
            assertThat(StatusProto.fromThrowable(e).getDetailsList()).isEmpty();
            // The operator still gets the whole story, in the server's log.
            assertThat(log.records()).singleElement()
                    .satisfies(logged -> assertThat(logged.getThrown()).hasMessage("SELECT secret FROM x"));
        }
    }

    // helpers

    @Test
    void aFullSemaphoreNamesEveryHolderOldestFirst() throws InvalidProtocolBufferException {
        CreateLockRequest two = request("deploy", "a").toBuilder()
                .setLimit(com.google.protobuf.UInt32Value.of(2)).build();
        Lock first = locks.createLock(two).getLock();
        clock.advance(java.time.Duration.ofSeconds(1));
        Lock second = locks.createLock(two.toBuilder().setWho("b").build()).getLock();
        assertThat(first.getLimit()).isEqualTo(2);
        assertThat(first.getMode()).as("exclusive, the default, is not spelled out").isEmpty();

        StatusRuntimeException e = failure(() -> locks.createLock(two.toBuilder().setWho("c").build()));

        assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.ALREADY_EXISTS);
        assertThat(e.getStatus().getDescription()).contains("and 1 more");
        LockHeld held = detail(StatusProto.fromThrowable(e), LockHeld.class);
        assertThat(held.getHolder()).isEqualTo(first);
        assertThat(held.getHoldersList()).containsExactly(first, second);
    }

    @Test
    void sharedHoldersShareAndAnotherLimitIsRefusedSayingSo() {
        CreateLockRequest shared = request("schema", "r1").toBuilder().setMode("shared").build();
        locks.createLock(shared);
        assertThat(locks.createLock(shared.toBuilder().setWho("r2").build()).getLock().getMode()).isEqualTo("shared");

        StatusRuntimeException writer = failure(() -> locks.createLock(request("schema", "migration")));
        assertThat(writer.getStatus().getCode()).isEqualTo(Status.Code.ALREADY_EXISTS);

        locks.createLock(request("deploy", "a").toBuilder().setLimit(com.google.protobuf.UInt32Value.of(2)).build());
        StatusRuntimeException other = failure(() -> locks.createLock(request("deploy", "b").toBuilder()
                .setLimit(com.google.protobuf.UInt32Value.of(3)).build()));
        assertThat(other.getStatus().getDescription()).contains("another limit");
    }

    @ParameterizedTest(name = "limit {0}")
    @ValueSource(ints = {0, 1001, -1})
    void aLimitOutOfRangeIsAnInvalidArgumentNamingIt(int limit) throws InvalidProtocolBufferException {
        StatusRuntimeException e = failure(() -> locks.createLock(request("deploy", "a").toBuilder()
                .setLimit(com.google.protobuf.UInt32Value.of(limit)).build()));

        assertInvalidArgumentNaming(e, "limit");
    }

    @Test
    void aModeOtherThanExclusiveOrSharedOrAQueueWithoutServiceIsAnInvalidArgument()
            throws InvalidProtocolBufferException {
        assertInvalidArgumentNaming(failure(() -> locks.createLock(request("deploy", "a").toBuilder()
                .setMode("readers").build())), "mode");
        assertInvalidArgumentNaming(failure(() -> locks.listLockQueue(
                tracker.lock.v1alpha1.ListLockQueueRequest.getDefaultInstance())), "service");
    }

    private void callWithId(String rpc, String id) {
        if (rpc.equals("GetLock")) {
            locks.getLock(GetLockRequest.newBuilder().setId(id).build());
        } else {
            locks.unLock(UnLockRequest.newBuilder().setId(id).build());
        }
    }

    private static void assertInvalidArgumentNaming(StatusRuntimeException e, String field)
            throws InvalidProtocolBufferException {
        assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
        assertThat(e.getStatus().getDescription()).contains(field.equals("event_id") ? "eventId" : field);
        BadRequest badRequest = detail(StatusProto.fromThrowable(e), BadRequest.class);
        assertThat(badRequest.getFieldViolationsList())
                .singleElement()
                .satisfies(violation -> assertThat(violation.getField()).isEqualTo(field));
    }

    private static <T extends com.google.protobuf.Message> T detail(com.google.rpc.Status status, Class<T> type)
            throws InvalidProtocolBufferException {
        for (Any detail : status.getDetailsList()) {
            if (detail.is(type)) {
                return detail.unpack(type);
            }
        }
        throw new AssertionError("no " + type.getSimpleName() + " in " + status.getDetailsList());
    }

    private static StatusRuntimeException failure(ThrowingCallable call) {
        StatusRuntimeException e = catchThrowableOfType(StatusRuntimeException.class, call);
        assertThat(e).as("the call should have failed").isNotNull();
        return e;
    }

    private static CreateLockRequest request(String service, String who) {
        return CreateLockRequest.newBuilder().setService(service).setWho(who).build();
    }
}
