package tracker.locks.domain;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The behaviour every {@link LockRepository} must have. Run against the in-memory fake, H2 and a real PostgreSQL
 * by subclasses that say how to get an empty repository.
 */
public abstract class LockRepositoryContract {

    private static final Instant T0 = Instant.parse("2024-01-15T10:00:00.123456Z");

    protected LockRepository repository;

    /** An empty repository; called before every test. */
    protected abstract LockRepository emptyRepository();

    @BeforeEach
    void setUpRepository() {
        repository = emptyRepository();
    }

    @Test
    void storesALockAndFindsItByIdWithEveryField() {
        Lock lock = lock("deploy", "ci-1", T0);
        Lock full = new Lock(newId(), new LockKey("billing", "prod", "db-main"), "ci-2", T0, "event-7");

        assertThat(repository.insertIfKeyFree(lock)).isEqualTo(new InsertOutcome.Inserted(lock));
        assertThat(repository.insertIfKeyFree(full)).isEqualTo(new InsertOutcome.Inserted(full));

        assertThat(repository.findById(lock.id())).contains(lock);
        assertThat(repository.findById(full.id())).contains(full);
    }

    @Test
    void keepsCreationTimeToTheMicrosecond() {
        Lock lock = lock("deploy", "ci-1", Instant.parse("2031-07-04T23:59:59.999999Z"));
        repository.insertIfKeyFree(lock);

        assertThat(repository.findById(lock.id()).orElseThrow().createdAt()).isEqualTo(lock.createdAt());
    }

    @Test
    void aSecondLockOnTheSameKeyIsRefusedAndTheHolderReported() {
        Lock holder = lock("deploy", "ci-1", T0);
        repository.insertIfKeyFree(holder);

        InsertOutcome outcome = repository.insertIfKeyFree(lock("deploy", "ci-2", T0.plusSeconds(1)));

        assertThat(outcome).isEqualTo(new InsertOutcome.KeyHeld(holder));
        assertThat(repository.page(PageRequest.first(10)).total()).isEqualTo(1);
    }

    @Test
    void environmentAndResourceArePartOfTheKeyButEventIdIsNot() {
        Lock plain = new Lock(newId(), new LockKey("deploy", "", ""), "a", T0, null);
        Lock prod = new Lock(newId(), new LockKey("deploy", "prod", ""), "b", T0, null);
        Lock prodDb = new Lock(newId(), new LockKey("deploy", "prod", "db"), "c", T0, null);
        Lock otherEvent = new Lock(newId(), new LockKey("deploy", "prod", "db"), "d", T0, "other-event");

        assertThat(repository.insertIfKeyFree(plain)).isInstanceOf(InsertOutcome.Inserted.class);
        assertThat(repository.insertIfKeyFree(prod)).isInstanceOf(InsertOutcome.Inserted.class);
        assertThat(repository.insertIfKeyFree(prodDb)).isInstanceOf(InsertOutcome.Inserted.class);
        assertThat(repository.insertIfKeyFree(otherEvent)).isEqualTo(new InsertOutcome.KeyHeld(prodDb));
    }

    @Test
    void deletingReleasesTheKeyAndOnlyTheFirstDeleteCounts() {
        Lock first = lock("deploy", "ci-1", T0);
        repository.insertIfKeyFree(first);

        assertThat(repository.deleteById(first.id())).isTrue();
        assertThat(repository.deleteById(first.id())).isFalse();
        assertThat(repository.findById(first.id())).isEmpty();

        Lock second = lock("deploy", "ci-2", T0.plusSeconds(5));
        assertThat(repository.insertIfKeyFree(second)).isEqualTo(new InsertOutcome.Inserted(second));
    }

    @Test
    void anUnknownIdIsNeitherFoundNorDeleted() {
        repository.insertIfKeyFree(lock("deploy", "ci-1", T0));
        LockId unknown = newId();

        assertThat(repository.findById(unknown)).isEmpty();
        assertThat(repository.deleteById(unknown)).isFalse();
        assertThat(repository.page(PageRequest.first(10)).total()).isEqualTo(1);
    }

    @Test
    void pagesListOldestFirstThenByIdWithTheTotal() {
        List<Lock> expected = new ArrayList<>();
        for (int i = 0; i < 7; i++) {
            // two locks per instant, so the id decides their order
            Lock lock = lock("service-" + i, "ci", T0.plusSeconds(10 - i / 2));
            expected.add(lock);
            repository.insertIfKeyFree(lock);
        }
        expected.sort(InMemoryLockRepository.OLDEST_FIRST);

        LockPage first = repository.page(new PageRequest(1, 3));
        LockPage second = repository.page(new PageRequest(2, 3));
        LockPage third = repository.page(new PageRequest(3, 3));

        assertThat(first.locks()).containsExactlyElementsOf(expected.subList(0, 3));
        assertThat(second.locks()).containsExactlyElementsOf(expected.subList(3, 6));
        assertThat(third.locks()).containsExactlyElementsOf(expected.subList(6, 7));
        assertThat(List.of(first.total(), second.total(), third.total())).containsOnly(7L);
    }

    @Test
    void aPagePastTheEndIsEmptyButKeepsTheTotal() {
        repository.insertIfKeyFree(lock("deploy", "ci", T0));

        LockPage farAway = repository.page(new PageRequest(Integer.MAX_VALUE, PageRequest.MAX_PER_PAGE));

        assertThat(farAway.locks()).isEmpty();
        assertThat(farAway.total()).isEqualTo(1);
    }

    @Test
    void anEmptyStoreListsNothing() {
        LockPage page = repository.page(PageRequest.first(PageRequest.MAX_PER_PAGE));

        assertThat(page.locks()).isEmpty();
        assertThat(page.total()).isZero();
    }

    /**
     * 50 clients take one key at the same instant, round after round, releasing between rounds: in every round
     * exactly one wins and every other one is told that the winner holds the key.
     */
    @Test
    void underARaceExactlyOneClientHoldsTheKeyInEveryRound() throws Exception {
        int clients = 50;
        int rounds = raceRounds();
        LockService service = new LockService(repository, LockIdGenerator.random(), new MutableClock(T0));
        CyclicBarrier start = new CyclicBarrier(clients);
        ExecutorService pool = Executors.newFixedThreadPool(clients);
        try {
            for (int round = 1; round <= rounds; round++) {
                List<Future<RaceResult>> results = new ArrayList<>();
                for (int c = 0; c < clients; c++) {
                    String who = "client-" + c + "-round-" + round;
                    Callable<RaceResult> client = () -> {
                        start.await(10, TimeUnit.SECONDS);
                        try {
                            return RaceResult.won(service.acquire(AcquireLockCommand.of("contended", who)));
                        } catch (LockHeldException held) {
                            return RaceResult.lost(held.holder());
                        }
                    };
                    results.add(pool.submit(client));
                }
                List<Lock> winners = new ArrayList<>();
                List<Lock> holdersSeenByLosers = new ArrayList<>();
                for (Future<RaceResult> result : results) {
                    RaceResult r = result.get(30, TimeUnit.SECONDS);
                    (r.won() ? winners : holdersSeenByLosers).add(r.lock());
                }
                assertThat(winners).as("winners of round %d", round).hasSize(1);
                Lock winner = winners.get(0);
                assertThat(holdersSeenByLosers).as("holders seen by the losers of round %d", round)
                        .hasSize(clients - 1)
                        .allSatisfy(seen -> assertThat(seen).isEqualTo(winner));
                assertThat(repository.page(PageRequest.first(10)).locks()).containsExactly(winner);

                service.release(winner.id().toString());
            }
        } finally {
            pool.shutdownNow();
        }
    }

    /** How many rounds the race test runs; slower stores may choose fewer. */
    protected int raceRounds() {
        return 20;
    }

    private record RaceResult(boolean won, Lock lock) {
        static RaceResult won(Lock lock) {
            return new RaceResult(true, lock);
        }

        static RaceResult lost(Lock holder) {
            return new RaceResult(false, holder);
        }
    }

    protected static Lock lock(String service, String who, Instant createdAt) {
        return new Lock(newId(), LockKey.ofService(service), who, createdAt, null);
    }

    protected static LockId newId() {
        return new LockId(UUID.randomUUID());
    }
}
