package tracker.locks.grpc;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.Int32Value;
import com.google.protobuf.UInt32Value;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import tracker.lock.v1alpha1.CreateLockRequest;
import tracker.lock.v1alpha1.GetLockRequest;
import tracker.lock.v1alpha1.ListLocksRequest;
import tracker.lock.v1alpha1.ListLocksResponse;
import tracker.lock.v1alpha1.Lock;
import tracker.lock.v1alpha1.LockServiceGrpc.LockServiceBlockingStub;
import tracker.lock.v1alpha1.UnLockRequest;
import tracker.lock.v1alpha1.UnLockResponse;
import tracker.locks.domain.testing.MutableClock;

class LockGrpcServiceTest {

    @RegisterExtension
    final InMemoryGrpcLocks grpc = new InMemoryGrpcLocks(Instant.parse("2024-01-15T10:00:00.123456789Z"));
    private final MutableClock clock = grpc.clock();
    private final LockServiceBlockingStub locks = grpc.stub();

    @Test
    void createLockReturnsTheNewLockWithCreatedAtToTheMicrosecond() {
        Lock lock = locks.createLock(request("production-deployment", "ci-pipeline-123")).getLock();

        assertThat(UUID.fromString(lock.getId()).version()).isEqualTo(4);
        assertThat(lock.getId()).isEqualTo(lock.getId().toLowerCase());
        assertThat(lock.getService()).isEqualTo("production-deployment");
        assertThat(lock.getWho()).isEqualTo("ci-pipeline-123");
        assertThat(lock.getCreatedAt().getSeconds()).isEqualTo(Instant.parse("2024-01-15T10:00:00Z").getEpochSecond());
        assertThat(lock.getCreatedAt().getNanos()).isEqualTo(123_456_000);
        assertThat(lock.getEnvironment()).isEmpty();
        assertThat(lock.getResource()).isEmpty();
        assertThat(lock.getEventId()).isEmpty();
    }

    @Test
    void optionalFieldsRoundTrip() {
        Lock created = locks.createLock(request("deploy", "ci").toBuilder()
                .setEnvironment("production").setResource("database").setEventId("evt-42").build()).getLock();

        Lock read = locks.getLock(GetLockRequest.newBuilder().setId(created.getId()).build()).getLock();

        assertThat(read).isEqualTo(created);
        assertThat(read.getEnvironment()).isEqualTo("production");
        assertThat(read.getResource()).isEqualTo("database");
        assertThat(read.getEventId()).isEqualTo("evt-42");
    }

    @Test
    void environmentAndResourceArePartOfTheKeyButEventIdIsNot() {
        locks.createLock(request("deploy", "a"));
        locks.createLock(request("deploy", "b").toBuilder().setEnvironment("staging").build());
        locks.createLock(request("deploy", "c").toBuilder().setEnvironment("staging").setResource("db").build());

        assertThat(locks.listLocks(ListLocksRequest.getDefaultInstance()).getTotalCount()).isEqualTo(3);
    }

    @Test
    void getLockReturnsTheHeldLock() {
        Lock created = locks.createLock(request("deploy", "ci")).getLock();

        assertThat(locks.getLock(GetLockRequest.newBuilder().setId(created.getId()).build()).getLock())
                .isEqualTo(created);
    }

    @Test
    void unLockReportsOneLockReleasedAndFreesTheKey() {
        Lock first = locks.createLock(request("deploy", "first")).getLock();

        UnLockResponse released = locks.unLock(UnLockRequest.newBuilder().setId(first.getId()).build());

        assertThat(released.getMessage()).isEqualTo("Lock released successfully");
        assertThat(released.getId()).isEqualTo(first.getId());
        assertThat(released.getCount()).isEqualTo(1);
        Lock second = locks.createLock(request("deploy", "second")).getLock();
        assertThat(second.getId()).isNotEqualTo(first.getId());
    }

    @Test
    void listLocksWithoutArgumentsReturnsTheFirstHundredOldestFirst() {
        List<String> created = createLocks(105);

        ListLocksResponse page = locks.listLocks(ListLocksRequest.getDefaultInstance());

        assertThat(page.getTotalCount()).isEqualTo(105);
        assertThat(page.getLocksList()).extracting(Lock::getId).containsExactlyElementsOf(created.subList(0, 100));
    }

    @Test
    void listLocksWithOnlyAPageUsesTheDefaultPageSize() {
        List<String> created = createLocks(105);

        ListLocksResponse page = locks.listLocks(ListLocksRequest.newBuilder().setPage(Int32Value.of(2)).build());

        assertThat(page.getLocksList()).extracting(Lock::getId).containsExactlyElementsOf(created.subList(100, 105));
    }

    @Test
    void listLocksPagesThroughTheLocksOldestFirst() {
        List<String> created = createLocks(5);

        ListLocksResponse page = locks.listLocks(ListLocksRequest.newBuilder()
                .setPerPage(UInt32Value.of(2)).setPage(Int32Value.of(2)).build());

        assertThat(page.getTotalCount()).isEqualTo(5);
        assertThat(page.getLocksList()).extracting(Lock::getId).containsExactlyElementsOf(created.subList(2, 4));
    }

    @Test
    void listLocksPastTheLastPageIsEmptyButCountsEveryLock() {
        createLocks(3);

        ListLocksResponse page = locks.listLocks(ListLocksRequest.newBuilder()
                .setPerPage(UInt32Value.of(10)).setPage(Int32Value.of(2)).build());

        assertThat(page.getLocksList()).isEmpty();
        assertThat(page.getTotalCount()).isEqualTo(3);
    }

    @Test
    void listLocksAcceptsTheLargestPageSize() {
        createLocks(3);

        ListLocksResponse page = locks.listLocks(ListLocksRequest.newBuilder().setPerPage(UInt32Value.of(1000)).build());

        assertThat(page.getLocksCount()).isEqualTo(3);
    }

    @Test
    void listedLocksCarryEveryField() {
        Lock created = locks.createLock(request("deploy", "ci").toBuilder()
                .setEnvironment("production").setResource("database").setEventId("evt-42").build()).getLock();

        assertThat(locks.listLocks(ListLocksRequest.getDefaultInstance()).getLocksList()).containsExactly(created);
    }

    @Test
    void anEmptyListHasNoLocksAndATotalOfZero() {
        ListLocksResponse page = locks.listLocks(ListLocksRequest.getDefaultInstance());

        assertThat(page.getLocksList()).isEmpty();
        assertThat(page.getTotalCount()).isZero();
    }

    /** Creates locks one second apart, so creation order is list order; returns their ids in that order. */
    private List<String> createLocks(int count) {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            ids.add(locks.createLock(request("service-" + i, "ci")).getLock().getId());
            clock.advance(Duration.ofSeconds(1));
        }
        return ids;
    }

    private static CreateLockRequest request(String service, String who) {
        return CreateLockRequest.newBuilder().setService(service).setWho(who).build();
    }
}
