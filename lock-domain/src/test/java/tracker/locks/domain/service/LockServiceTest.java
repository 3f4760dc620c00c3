package tracker.locks.domain.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import tracker.locks.domain.model.InvalidLockRequestException;
import tracker.locks.domain.model.Lock;
import tracker.locks.domain.model.LockHeldException;
import tracker.locks.domain.model.LockId;
import tracker.locks.domain.model.LockKey;
import tracker.locks.domain.model.LockNotFoundException;
import tracker.locks.domain.model.LockPage;
import tracker.locks.domain.model.LockPolicy;
import tracker.locks.domain.model.PageRequest;
import tracker.locks.domain.model.ServicePatterns;
import tracker.locks.domain.port.in.AcquireLockCommand;
import tracker.locks.domain.port.in.Caller;
import tracker.locks.domain.port.out.AcquireOutcome;
import tracker.locks.domain.port.out.LockCandidate;
import tracker.locks.domain.port.out.LockRepository;
import tracker.locks.domain.testing.FencedResource;
import tracker.locks.domain.testing.InMemoryLockRepository;
import tracker.locks.domain.testing.LockServices;
import tracker.locks.domain.testing.MutableClock;

class LockServiceTest {

    private final MutableClock clock = new MutableClock(Instant.parse("2024-01-15T10:00:00.123456789Z"));
    private final InMemoryLockRepository repository = new InMemoryLockRepository(clock);
    private final LockService service = LockServices.on(repository, clock);

    @Test
    void acquiringAFreeKeyReturnsTheNewLock() {
        Lock lock = service.acquire(AcquireLockCommand.of("production-deployment", "ci-pipeline-123"),
                Caller.UNOBSERVED);

        assertThat(lock.service()).isEqualTo("production-deployment");
        assertThat(lock.who()).isEqualTo("ci-pipeline-123");
        assertThat(lock.key()).isEqualTo(LockKey.ofService("production-deployment"));
        assertThat(lock.id().value().version()).isEqualTo(4);
        assertThat(lock.createdAt()).isEqualTo(Instant.parse("2024-01-15T10:00:00.123456Z"));
        assertThat(lock.expiresAt()).isNull();
        assertThat(service.get(lock.id().toString())).isEqualTo(lock);
    }

    @Test
    void acquiringAHeldKeyNamesTheHolder() {
        Lock holder = service.acquire(AcquireLockCommand.of("deploy", "first"), Caller.UNOBSERVED);
        clock.advance(Duration.ofMinutes(5));

        assertThatThrownBy(() -> service.acquire(AcquireLockCommand.of("deploy", "second"), Caller.UNOBSERVED))
                .isInstanceOfSatisfying(LockHeldException.class, e -> assertThat(e.holder()).isEqualTo(holder));
    }

    @Test
    void withoutTtlALockNeverExpires() {
        Lock lock = service.acquire(AcquireLockCommand.of("deploy", "first"), Caller.UNOBSERVED);
        clock.advance(Duration.ofDays(400));

        assertThat(service.get(lock.id().toString())).isEqualTo(lock);
        assertThatThrownBy(() -> service.acquire(AcquireLockCommand.of("deploy", "second"), Caller.UNOBSERVED))
                .isInstanceOf(LockHeldException.class);
    }

    @Test
    void aLeaseEndsAfterItsTtlAndTheNextClientTakesTheKeyOver() {
        Lock leased = service.acquire(AcquireLockCommand.of("deploy", "first").withTtl(Duration.ofSeconds(30)),
                Caller.UNOBSERVED);
        assertThat(leased.expiresAt()).isEqualTo(leased.createdAt().plusSeconds(30));

        clock.advance(Duration.ofSeconds(29));
        assertThatThrownBy(() -> service.acquire(AcquireLockCommand.of("deploy", "second"), Caller.UNOBSERVED))
                .isInstanceOf(LockHeldException.class);

        clock.advance(Duration.ofSeconds(1));
        assertThatThrownBy(() -> service.get(leased.id().toString())).isInstanceOf(LockNotFoundException.class);
        assertThatThrownBy(() -> service.release(leased.id().toString())).isInstanceOf(LockNotFoundException.class);
        assertThat(service.list(new PageRequest(1, 10)).locks()).isEmpty();
        Lock next = service.acquire(AcquireLockCommand.of("deploy", "second"), Caller.UNOBSERVED);
        assertThat(next.token()).isGreaterThan(leased.token());
    }

    @Test
    void renewingKeepsALeaseAliveAndAnExpiredLockCannotBeRenewed() {
        Lock leased = service.acquire(AcquireLockCommand.of("deploy", "long-job").withTtl(Duration.ofSeconds(30)),
                Caller.UNOBSERVED);

        for (int i = 0; i < 5; i++) {
            clock.advance(Duration.ofSeconds(20));
            Lock renewed = service.renew(leased.id().toString(), Duration.ofSeconds(30));
            assertThat(renewed.expiresAt()).isEqualTo(clock.instant().truncatedTo(java.time.temporal.ChronoUnit.MICROS)
                    .plusSeconds(30));
            assertThat(renewed.token()).isEqualTo(leased.token());
        }
        assertThat(service.get(leased.id().toString()).who()).isEqualTo("long-job");

        clock.advance(Duration.ofSeconds(31));
        assertThatThrownBy(() -> service.renew(leased.id().toString(), Duration.ofSeconds(30)))
                .isInstanceOf(LockNotFoundException.class);
    }

    /**
     * The reason TTL locks need fencing: a holder paused past its lease (GC, network) wakes up believing it still
     * holds the lock. The resource refuses its late write because the new holder's token is greater.
     */
    @Test
    void aHolderPausedPastItsLeaseHasItsLateWriteRefusedByTheFencedResource() {
        FencedResource resource = new FencedResource();
        Lock paused = service.acquire(AcquireLockCommand.of("ledger", "worker-a").withTtl(Duration.ofSeconds(10)),
                Caller.UNOBSERVED);
        assertThat(resource.write(paused.token(), "a-1")).isTrue();

        clock.advance(Duration.ofSeconds(15)); // worker-a stalls past its lease
        Lock successor = service.acquire(AcquireLockCommand.of("ledger", "worker-b").withTtl(Duration.ofSeconds(10)),
                Caller.UNOBSERVED);
        assertThat(resource.write(successor.token(), "b-1")).isTrue();

        assertThat(resource.write(paused.token(), "a-2")).as("the stale holder's late write").isFalse();
        assertThat(resource.value()).isEqualTo("b-1");
        assertThat(resource.write(successor.token(), "b-2")).isTrue();
    }

    @Test
    void theDefaultLeaseAppliesToLocksCreatedWithoutOne() {
        LockService withDefault = LockServices.on(repository, clock,
                new LockPolicy(Duration.ofHours(1), Duration.ofMinutes(5), Duration.ofSeconds(30),
                        Duration.ofMinutes(5)));

        Lock lock = withDefault.acquire(AcquireLockCommand.of("deploy", "ci"), Caller.UNOBSERVED);

        assertThat(lock.expiresAt()).isEqualTo(lock.createdAt().plus(Duration.ofMinutes(5)));
        assertThat(withDefault.renew(lock.id().toString(), null).expiresAt()).isNotNull();
    }

    @Test
    void leasesAndWaitsBeyondTheServersLimitsAreRefusedNamingTheField() {
        assertThatThrownBy(() -> service.acquire(AcquireLockCommand.of("d", "c").withTtl(Duration.ofHours(25)),
                Caller.UNOBSERVED))
                .isInstanceOfSatisfying(InvalidLockRequestException.class, e -> {
                    assertThat(e.field()).isEqualTo("ttl");
                    assertThat(e.getMessage()).isEqualTo("ttl must be at most 24h, got 25h");
                });
        assertThatThrownBy(() -> service.acquire(AcquireLockCommand.of("d", "c").withWait(Duration.ofMinutes(2)),
                Caller.UNOBSERVED))
                .isInstanceOfSatisfying(InvalidLockRequestException.class,
                        e -> assertThat(e.getMessage()).isEqualTo("wait must be at most 1m, got 2m"));
        assertThatThrownBy(() -> service.renew("6f9619ff-8b86-4011-b42d-00c04fc964ff", null))
                .isInstanceOfSatisfying(InvalidLockRequestException.class,
                        e -> assertThat(e.field()).isEqualTo("ttl"));
        assertThat(service.list(new PageRequest(1, 10)).total()).isZero();
    }

    @Test
    void zeroAndNegativeDurationsAreRefused() {
        AcquireLockCommand command = AcquireLockCommand.of("d", "c");

        assertThatThrownBy(() -> command.withTtl(Duration.ZERO))
                .isInstanceOfSatisfying(InvalidLockRequestException.class, e -> {
                    assertThat(e.field()).isEqualTo("ttl");
                    assertThat(e.getMessage()).isEqualTo("ttl must be at least 1ms, got 0ms");
                });
        assertThatThrownBy(() -> command.withWait(Duration.ofSeconds(-5)))
                .isInstanceOfSatisfying(InvalidLockRequestException.class, e -> assertThat(e.field()).isEqualTo("wait"));
        assertThatThrownBy(() -> service.renew("6f9619ff-8b86-4011-b42d-00c04fc964ff", Duration.ofNanos(10)))
                .isInstanceOfSatisfying(InvalidLockRequestException.class, e -> assertThat(e.field()).isEqualTo("ttl"));
    }

    @Test
    void releasingFreesTheKeyForTheNextClient() {
        Lock first = service.acquire(AcquireLockCommand.of("deploy", "first"), Caller.UNOBSERVED);

        service.release(first.id().toString());

        Lock second = service.acquire(AcquireLockCommand.of("deploy", "second"), Caller.UNOBSERVED);
        assertThat(second.id()).isNotEqualTo(first.id());
        assertThat(second.token()).isGreaterThan(first.token());
        assertThatThrownBy(() -> service.get(first.id().toString())).isInstanceOf(LockNotFoundException.class);
    }

    @Test
    void releasingTwiceReportsNotFoundTheSecondTime() {
        Lock lock = service.acquire(AcquireLockCommand.of("deploy", "ci"), Caller.UNOBSERVED);
        service.release(lock.id().toString());

        assertThatThrownBy(() -> service.release(lock.id().toString()))
                .isInstanceOfSatisfying(LockNotFoundException.class,
                        e -> assertThat(e.id()).isEqualTo(lock.id().toString()));
    }

    @Test
    void idsThatAreNotUuidsNameNoLock() {
        service.acquire(AcquireLockCommand.of("deploy", "ci"), Caller.UNOBSERVED);

        for (String odd : new String[] {"", "507f1f77bcf86cd799439011", "1-2-3-4-5", "../../etc/passwd", "null",
                "%00", "00000000-0000-0000-0000-00000000000g"}) {
            assertThatThrownBy(() -> service.get(odd)).isInstanceOf(LockNotFoundException.class);
            assertThatThrownBy(() -> service.release(odd)).isInstanceOf(LockNotFoundException.class);
            assertThatThrownBy(() -> service.renew(odd, Duration.ofSeconds(5)))
                    .isInstanceOf(LockNotFoundException.class);
        }
        assertThat(service.list(new PageRequest(1, 10)).total()).isEqualTo(1);
    }

    @Test
    void upperCaseIdsNameTheSameLock() {
        Lock lock = service.acquire(AcquireLockCommand.of("deploy", "ci"), Caller.UNOBSERVED);

        assertThat(service.get(lock.id().toString().toUpperCase())).isEqualTo(lock);
    }

    @Test
    void listingPagesOldestFirst() {
        Lock a = service.acquire(AcquireLockCommand.of("a", "ci"), Caller.UNOBSERVED);
        clock.advance(Duration.ofSeconds(1));
        Lock b = service.acquire(AcquireLockCommand.of("b", "ci"), Caller.UNOBSERVED);
        clock.advance(Duration.ofSeconds(1));
        Lock c = service.acquire(AcquireLockCommand.of("c", "ci"), Caller.UNOBSERVED);

        assertThat(service.list(new PageRequest(1, 2)).locks()).containsExactly(a, b);
        assertThat(service.list(new PageRequest(2, 2)).locks()).containsExactly(c);
        assertThat(service.list(new PageRequest(2, 2)).total()).isEqualTo(3);
    }

    @Test
    void aConflictWhoseHolderVanishedIsRetriedAndTakesTheKey() {
        Lock stored = new Lock(new LockId(java.util.UUID.randomUUID()), LockKey.ofService("deploy"), "ci",
                clock.instant(), null, null, 7);
        java.util.Deque<AcquireOutcome> outcomes = new java.util.ArrayDeque<>();
        outcomes.add(new AcquireOutcome.HolderVanished());
        outcomes.add(new AcquireOutcome.Acquired(stored));
        LockService flaky = LockServices.on(new ScriptedRepository(outcomes), clock);

        assertThat(flaky.acquire(AcquireLockCommand.of("deploy", "ci"), Caller.UNOBSERVED)).isEqualTo(stored);
        assertThat(outcomes).isEmpty();
    }

    /** A repository whose acquisitions answer from a script, to reach the rare interleavings on demand. */
    private record ScriptedRepository(java.util.Deque<AcquireOutcome> outcomes) implements LockRepository {
        @Override
        public AcquireOutcome acquire(LockCandidate candidate) {
            return outcomes.removeFirst();
        }

        @Override
        public Optional<Lock> findHeld(LockId id) {
            return Optional.empty();
        }

        @Override
        public Optional<Lock> release(LockId id) {
            return Optional.empty();
        }

        @Override
        public Optional<Lock> renew(LockId id, Duration ttl) {
            return Optional.empty();
        }

        @Override
        public LockPage page(PageRequest request, ServicePatterns services) {
            throw new UnsupportedOperationException();
        }

        @Override
        public int deleteEndedBefore(Duration retention) {
            return 0;
        }

        @Override
        public Optional<tracker.locks.domain.model.Released> releaseAsAdmin(LockId id, String admin) {
            return Optional.empty();
        }

        @Override
        public int endLapsedLeases() {
            return 0;
        }

        @Override
        public tracker.locks.domain.model.LockEventPage history(tracker.locks.domain.model.HistoryFilter filter,
                                                                 PageRequest request) {
            throw new UnsupportedOperationException();
        }

        @Override
        public java.util.List<tracker.locks.domain.model.LockEvent> history(LockId id) {
            throw new UnsupportedOperationException();
        }

        @Override
        public int deleteHistoryBefore(Duration retention) {
            return 0;
        }
    }
}
