package tracker.locks.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class LockServiceTest {

    private final MutableClock clock = new MutableClock(Instant.parse("2024-01-15T10:00:00.123456789Z"));
    private final InMemoryLockRepository repository = new InMemoryLockRepository();
    private final LockService service = new LockService(repository, LockIdGenerator.random(), clock);

    @Test
    void acquiringAFreeKeyReturnsTheNewLock() {
        Lock lock = service.acquire(AcquireLockCommand.of("production-deployment", "ci-pipeline-123"));

        assertThat(lock.service()).isEqualTo("production-deployment");
        assertThat(lock.who()).isEqualTo("ci-pipeline-123");
        assertThat(lock.key()).isEqualTo(LockKey.ofService("production-deployment"));
        assertThat(lock.id().value().version()).isEqualTo(4);
        assertThat(lock.createdAt()).isEqualTo(Instant.parse("2024-01-15T10:00:00.123456Z"));
        assertThat(service.get(lock.id().toString())).isEqualTo(lock);
    }

    @Test
    void acquiringAHeldKeyNamesTheHolder() {
        Lock holder = service.acquire(AcquireLockCommand.of("deploy", "first"));
        clock.advance(Duration.ofMinutes(5));

        assertThatThrownBy(() -> service.acquire(AcquireLockCommand.of("deploy", "second")))
                .isInstanceOfSatisfying(LockHeldException.class, e -> assertThat(e.holder()).isEqualTo(holder));
    }

    @Test
    void releasingFreesTheKeyForTheNextClient() {
        Lock first = service.acquire(AcquireLockCommand.of("deploy", "first"));

        service.release(first.id().toString());

        Lock second = service.acquire(AcquireLockCommand.of("deploy", "second"));
        assertThat(second.id()).isNotEqualTo(first.id());
        assertThatThrownBy(() -> service.get(first.id().toString())).isInstanceOf(LockNotFoundException.class);
    }

    @Test
    void releasingTwiceReportsNotFoundTheSecondTime() {
        Lock lock = service.acquire(AcquireLockCommand.of("deploy", "ci"));
        service.release(lock.id().toString());

        assertThatThrownBy(() -> service.release(lock.id().toString()))
                .isInstanceOfSatisfying(LockNotFoundException.class,
                        e -> assertThat(e.id()).isEqualTo(lock.id().toString()));
    }

    @Test
    void idsThatAreNotUuidsNameNoLock() {
        service.acquire(AcquireLockCommand.of("deploy", "ci"));

        for (String odd : new String[] {"", "507f1f77bcf86cd799439011", "1-2-3-4-5", "../../etc/passwd", "null",
                "%00", "00000000-0000-0000-0000-00000000000g"}) {
            assertThatThrownBy(() -> service.get(odd)).isInstanceOf(LockNotFoundException.class);
            assertThatThrownBy(() -> service.release(odd)).isInstanceOf(LockNotFoundException.class);
        }
        assertThat(service.list(PageRequest.first(10)).total()).isEqualTo(1);
    }

    @Test
    void upperCaseIdsNameTheSameLock() {
        Lock lock = service.acquire(AcquireLockCommand.of("deploy", "ci"));

        assertThat(service.get(lock.id().toString().toUpperCase())).isEqualTo(lock);
    }

    @Test
    void listingPagesOldestFirst() {
        Lock a = service.acquire(AcquireLockCommand.of("a", "ci"));
        clock.advance(Duration.ofSeconds(1));
        Lock b = service.acquire(AcquireLockCommand.of("b", "ci"));
        clock.advance(Duration.ofSeconds(1));
        Lock c = service.acquire(AcquireLockCommand.of("c", "ci"));

        assertThat(service.list(new PageRequest(1, 2)).locks()).containsExactly(a, b);
        assertThat(service.list(new PageRequest(2, 2)).locks()).containsExactly(c);
        assertThat(service.list(new PageRequest(2, 2)).total()).isEqualTo(3);
    }

    @Test
    void aConflictWhoseHolderVanishedIsRetriedAndTakesTheKey() {
        Lock stored = new Lock(new LockId(UUID.randomUUID()), LockKey.ofService("deploy"), "ci", clock.instant(),
                null);
        Deque<InsertOutcome> outcomes = new ArrayDeque<>();
        outcomes.add(new InsertOutcome.HolderVanished());
        outcomes.add(new InsertOutcome.Inserted(stored));
        LockService flaky = new LockService(new ScriptedRepository(outcomes), LockIdGenerator.random(), clock);

        assertThat(flaky.acquire(AcquireLockCommand.of("deploy", "ci"))).isEqualTo(stored);
        assertThat(outcomes).isEmpty();
    }

    /** A repository whose inserts answer from a script, to reach the rare interleavings on demand. */
    private record ScriptedRepository(Deque<InsertOutcome> outcomes) implements LockRepository {
        @Override
        public InsertOutcome insertIfKeyFree(Lock candidate) {
            return outcomes.removeFirst();
        }

        @Override
        public Optional<Lock> findById(LockId id) {
            return Optional.empty();
        }

        @Override
        public boolean deleteById(LockId id) {
            return false;
        }

        @Override
        public LockPage page(PageRequest request) {
            throw new UnsupportedOperationException();
        }
    }
}
