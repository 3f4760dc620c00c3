package tracker.locks.grpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.google.protobuf.Duration;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.time.Instant;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import tracker.lock.v1alpha1.CreateLockRequest;
import tracker.lock.v1alpha1.GetLockRequest;
import tracker.lock.v1alpha1.Lock;
import tracker.lock.v1alpha1.LockServiceGrpc.LockServiceBlockingStub;
import tracker.lock.v1alpha1.RenewLockRequest;
import tracker.lock.v1alpha1.UnLockRequest;
import tracker.locks.domain.model.PageRequest;
import tracker.locks.domain.service.LockService;
import tracker.locks.domain.testing.LockServices;

/** Leases, renewal, tokens and waiting over gRPC, on an in-process server and the real clock (short waits). */
class LockLeaseGrpcTest {

    private final LockService service = LockServices.inMemory();
    private final ExecutorService executor = Executors.newCachedThreadPool();
    private final InProcessLockServer server = InProcessLockServer.on(service, executor);
    private final LockServiceBlockingStub locks = server.blockingStub();

    @AfterEach
    void stop() {
        server.close();
        executor.shutdownNow();
    }

    @Test
    void aLeasedLockCarriesItsExpiryAndTokenAndCanBeRenewed() {
        Lock lock = locks.createLock(request("deploy", "ci").setTtl(seconds(30)).build()).getLock();

        assertThat(lock.hasExpiresAt()).isTrue();
        assertThat(lock.getExpiresAt().getSeconds() - lock.getCreatedAt().getSeconds()).isEqualTo(30);
        assertThat(lock.getToken()).isPositive();

        Lock renewed = locks.renewLock(RenewLockRequest.newBuilder().setId(lock.getId()).setTtl(seconds(600)).build())
                .getLock();
        assertThat(renewed.getExpiresAt().getSeconds()).isGreaterThanOrEqualTo(lock.getCreatedAt().getSeconds() + 600);
        assertThat(renewed.getToken()).isEqualTo(lock.getToken());
    }

    @Test
    void aLockWithoutTtlHasNoExpiryAndSuccessiveHoldersGetGreaterTokens() {
        Lock first = locks.createLock(request("deploy", "a").build()).getLock();
        locks.unLock(UnLockRequest.newBuilder().setId(first.getId()).build());
        Lock second = locks.createLock(request("deploy", "b").build()).getLock();

        assertThat(first.hasExpiresAt()).isFalse();
        assertThat(second.getToken()).isGreaterThan(first.getToken());
    }

    @Test
    void renewingAReleasedOrUnknownLockIsNotFound() {
        Lock lock = locks.createLock(request("deploy", "ci").setTtl(seconds(30)).build()).getLock();
        locks.unLock(UnLockRequest.newBuilder().setId(lock.getId()).build());

        for (String id : new String[] {lock.getId(), "not-an-id"}) {
            StatusRuntimeException e = failure(() -> locks.renewLock(
                    RenewLockRequest.newBuilder().setId(id).setTtl(seconds(30)).build()));
            assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.NOT_FOUND);
        }
    }

    @ParameterizedTest(name = "{0} = {1}s {2}ns")
    @CsvSource({
        "ttl, 0, 0, ttl must be at least 1ms",
        "ttl, -5, 0, ttl must be at least 1ms",
        "ttl, 0, 1000, ttl must be at least 1ms",
        "ttl, 90000, 0, ttl must be at most 24h",
        "ttl, 315576000000, 0, ttl must be at most 24h",
        "ttl, 5, -1, ttl is not a valid duration",
        "wait, 0, -1000, 'wait must be at least 1ms, got PT-0.000001S'",
        "ttl, 0, -500, 'ttl must be at least 1ms, got PT-0.0000005S'",
        "ttl, 86400, 100000, 'ttl must be at most 24h, got PT24H0.0001S'",
        "wait, -1, 0, wait must be at least 1ms",
        "wait, 3600, 0, wait must be at most 1m",
    })
    void badDurationsAreInvalidArgumentsNamingTheField(String field, long secondsValue, int nanos, String message) {
        Duration duration = Duration.newBuilder().setSeconds(secondsValue).setNanos(nanos).build();
        CreateLockRequest.Builder request = request("deploy", "ci");
        if ("ttl".equals(field)) {
            request.setTtl(duration);
        } else {
            request.setWait(duration);
        }

        StatusRuntimeException e = failure(() -> locks.createLock(request.build()));

        assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
        assertThat(e.getStatus().getDescription()).startsWith(message);
        assertThat(service.list(new PageRequest(1, 10)).total()).isZero();
    }

    @Test
    void renewingWithoutTtlOrWithABadOneIsAnInvalidArgument() {
        Lock lock = locks.createLock(request("deploy", "ci").setTtl(seconds(30)).build()).getLock();

        StatusRuntimeException missing = failure(() -> locks.renewLock(
                RenewLockRequest.newBuilder().setId(lock.getId()).build()));
        StatusRuntimeException negative = failure(() -> locks.renewLock(
                RenewLockRequest.newBuilder().setId(lock.getId()).setTtl(seconds(-1)).build()));

        assertThat(missing.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
        assertThat(missing.getStatus().getDescription()).contains("ttl");
        assertThat(negative.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
    }

    @Test
    void aZeroWaitMeansDoNotWait() {
        Lock holder = locks.createLock(request("deploy", "first").build()).getLock();

        StatusRuntimeException held = failure(() -> locks.createLock(request("deploy", "second")
                .setWait(seconds(0)).build()));

        assertThat(held.getStatus().getCode()).isEqualTo(Status.Code.ALREADY_EXISTS);
        assertThat(held.getStatus().getDescription()).contains(holder.getId());
        assertThat(locks.createLock(request("other", "second").setWait(seconds(0)).build()).getLock().getService())
                .isEqualTo("other");
    }

    @Test
    void aWaitingCreateLockReturnsOnceTheHolderReleases() throws Exception {
        Lock holder = locks.createLock(request("deploy", "first").build()).getLock();
        var waiting = server.futureStub().createLock(request("deploy", "second").setWait(seconds(10)).build());
        awaitWaiting(1);

        locks.unLock(UnLockRequest.newBuilder().setId(holder.getId()).build());

        assertThat(waiting.get(5, TimeUnit.SECONDS).getLock().getWho()).isEqualTo("second");
    }

    @Test
    void aClientWhoseDeadlinePassesWhileWaitingHoldsNothing() throws Exception {
        Lock holder = locks.createLock(request("deploy", "first").build()).getLock();

        StatusRuntimeException e = failure(() -> locks.withDeadlineAfter(300, TimeUnit.MILLISECONDS)
                .createLock(request("deploy", "impatient").setWait(seconds(30)).build()));

        assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.DEADLINE_EXCEEDED);
        awaitWaiting(0);
        locks.unLock(UnLockRequest.newBuilder().setId(holder.getId()).build());
        Instant settle = Instant.now().plusMillis(300);
        while (Instant.now().isBefore(settle)) {
            assertThat(service.list(new PageRequest(1, 10)).locks()).as("nobody holds the key for the gone client")
                    .isEmpty();
            Thread.sleep(20);
        }
        assertThat(failure(() -> locks.getLock(GetLockRequest.newBuilder().setId(holder.getId()).build()))
                .getStatus().getCode()).isEqualTo(Status.Code.NOT_FOUND);
    }

    private void awaitWaiting(int count) throws InterruptedException {
        Instant deadline = Instant.now().plusSeconds(5);
        while (service.waiting() != count && Instant.now().isBefore(deadline)) {
            Thread.sleep(5); // the call is on its way into the line (or out of it)
        }
        assertThat(service.waiting()).isEqualTo(count);
    }

    private static Duration seconds(long value) {
        return Duration.newBuilder().setSeconds(value).build();
    }

    private static CreateLockRequest.Builder request(String service, String who) {
        return CreateLockRequest.newBuilder().setService(service).setWho(who);
    }

    private static StatusRuntimeException failure(org.assertj.core.api.ThrowableAssert.ThrowingCallable call) {
        StatusRuntimeException e = catchThrowableOfType(StatusRuntimeException.class, call);
        assertThat(e).as("the call should have failed").isNotNull();
        return e;
    }
}
