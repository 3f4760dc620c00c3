package tracker.locks.domain.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tracker.locks.domain.model.HolderRule;
import tracker.locks.domain.model.Lock;
import tracker.locks.domain.model.LockHeldException;
import tracker.locks.domain.model.LockMode;
import tracker.locks.domain.model.PageRequest;
import tracker.locks.domain.model.ServicePatterns;
import tracker.locks.domain.port.in.AcquireLockCommand;
import tracker.locks.domain.port.in.Caller;
import tracker.locks.domain.port.out.LockRepository;
import tracker.locks.domain.service.LockService;

/**
 * Semaphores and shared holders, the same on every store: run for each by {@link LockRepositoryContract} (as a
 * nested class, on the store its subclass makes), through the real {@link LockService}.
 */
public abstract class HolderRuleContract {

    private static final HolderRule TWO = new HolderRule(2, LockMode.EXCLUSIVE);
    private static final HolderRule SHARED = new HolderRule(1, LockMode.SHARED);

    private LockService service;

    /** The store under test, empty. */
    protected abstract LockRepository repository();

    @BeforeEach
    void setUpService() {
        service = LockServices.on(repository(), Clock.systemUTC());
    }

    /**
     * 50 clients take a limit-2 key at the same instant, round after round, releasing between rounds: in every round
     * exactly two win, every other one is told both holders, and no more than two ever hold it.
     */
    @Test
    void underARaceALimitOfTwoHasExactlyTwoHoldersInEveryRound() throws Exception {
        long previousToken = 0;
        for (int round = 1; round <= 5; round++) {
            List<Lock> winners = new ArrayList<>();
            List<List<Lock>> seenByLosers = new ArrayList<>();
            race(AcquireLockCommand.of("deploys", "round-" + round).withRule(TWO), winners, seenByLosers);

            assertThat(winners).as("winners of round %d", round).hasSize(2);
            assertThat(seenByLosers).as("conflicts of round %d", round).hasSize(48)
                    .allSatisfy(holders -> assertThat(holders).containsExactlyInAnyOrderElementsOf(winners));
            assertThat(held()).containsExactlyInAnyOrderElementsOf(winners);
            for (Lock winner : winners) {
                assertThat(winner.token()).isGreaterThan(previousToken);
                assertThat(winner.rule()).isEqualTo(TWO);
            }
            previousToken = winners.stream().mapToLong(Lock::token).max().orElseThrow();
            winners.forEach(winner -> service.release(winner.id().toString()));
        }
    }

    @Test
    void aFreedPlaceIsTakenAgainWithAGreaterTokenAndAFullKeyNamesAllItsHolders() {
        Lock first = take("deploys", "a", TWO);
        Lock second = take("deploys", "b", TWO);
        service.release(first.id().toString());
        Lock third = take("deploys", "c", TWO);

        assertThat(third.token()).isGreaterThan(second.token());
        LockHeldException full = refused("deploys", "d", TWO);
        assertThat(full.reason()).isEqualTo(LockHeldException.Reason.HELD);
        assertThat(full.holders()).containsExactly(second, third);
        assertThat(full.holder()).as("the oldest holder, the guide's existingLock").isEqualTo(second);
    }

    @Test
    void holdersAgreeOnTheLimitAndARequestWithAnotherIsRefusedSaying() {
        Lock holder = take("deploys", "a", TWO);

        for (HolderRule other : List.of(new HolderRule(3, LockMode.EXCLUSIVE), HolderRule.SINGLE)) {
            LockHeldException refusal = refused("deploys", "b", other);
            assertThat(refusal.reason()).isEqualTo(LockHeldException.Reason.OTHER_LIMIT);
            assertThat(refusal.holders()).containsExactly(holder);
        }
        service.release(holder.id().toString());
        assertThat(take("deploys", "c", new HolderRule(3, LockMode.EXCLUSIVE)).rule().limit())
                .as("a key nobody holds takes the limit of its next holder").isEqualTo(3);
    }

    @Test
    void sharedHoldersHoldTogetherAndExcludeExclusiveOnesBothWays() {
        Lock reader = take("schema", "reader-1", SHARED);
        Lock another = take("schema", "reader-2", SHARED);
        assertThat(another.token()).isGreaterThan(reader.token());

        LockHeldException writer = refused("schema", "migration", HolderRule.SINGLE);
        assertThat(writer.holders()).containsExactly(reader, another);
        assertThat(refused("schema", "two-migrations", TWO).reason()).isEqualTo(LockHeldException.Reason.HELD);

        service.release(reader.id().toString());
        service.release(another.id().toString());
        Lock migration = take("schema", "migration", HolderRule.SINGLE);
        assertThat(refused("schema", "reader-3", SHARED).holders()).containsExactly(migration);
    }

    @Test
    void aSemaphoreHoldersLapsedLeaseFreesItsPlace() throws InterruptedException {
        Lock lapsing = service.acquire(AcquireLockCommand.of("deploys", "crashed").withRule(TWO)
                .withTtl(Duration.ofMillis(300)), Caller.UNOBSERVED);
        Lock staying = take("deploys", "b", TWO);
        refused("deploys", "c", TWO);

        LockRepositoryContract.awaitPast(lapsing.expiresAt());

        Lock next = take("deploys", "c", TWO);
        assertThat(held()).containsExactlyInAnyOrder(staying, next);
    }

    /**
     * A holder in the key's second place renews past the lease the key's first place knew of: a plain request, which
     * the store may serve with its one-statement path on the first place, must still see it.
     */
    @Test
    void aRenewedHolderInAnotherPlaceStillExcludesAfterItsFirstLeaseWouldHaveEnded() throws InterruptedException {
        Lock first = take("deploys", "a", TWO);
        Lock second = service.acquire(AcquireLockCommand.of("deploys", "b").withRule(TWO)
                .withTtl(Duration.ofMillis(300)), Caller.UNOBSERVED);
        service.release(first.id().toString());
        Lock renewed = service.renew(second.id().toString(), Duration.ofSeconds(30));

        LockRepositoryContract.awaitPast(second.expiresAt());

        assertThat(refused("deploys", "plain", HolderRule.SINGLE).holders()).containsExactly(renewed);
        assertThat(refused("deploys", "readers", SHARED).holders()).containsExactly(renewed);
        Lock joined = take("deploys", "c", TWO);
        assertThat(held()).containsExactlyInAnyOrder(renewed, joined);
    }

    private Lock take(String key, String who, HolderRule rule) {
        return service.acquire(AcquireLockCommand.of(key, who).withRule(rule), Caller.UNOBSERVED);
    }

    private LockHeldException refused(String key, String who, HolderRule rule) {
        try {
            Lock unexpected = take(key, who, rule);
            throw new AssertionError(who + " was given " + unexpected + " but the key had no room");
        } catch (LockHeldException expected) {
            return expected;
        }
    }

    private List<Lock> held() {
        return repository().page(new PageRequest(1, 1000), ServicePatterns.ALL).locks();
    }

    private void race(AcquireLockCommand command, List<Lock> winners, List<List<Lock>> seenByLosers)
            throws Exception {
        int clients = 50;
        CyclicBarrier start = new CyclicBarrier(clients);
        ExecutorService pool = Executors.newFixedThreadPool(clients);
        try {
            List<Future<Object>> results = new ArrayList<>();
            for (int c = 0; c < clients; c++) {
                results.add(pool.submit(() -> {
                    start.await(10, TimeUnit.SECONDS);
                    try {
                        return service.acquire(command, Caller.UNOBSERVED);
                    } catch (LockHeldException held) {
                        return held.holders();
                    }
                }));
            }
            for (Future<Object> result : results) {
                Object outcome = result.get(60, TimeUnit.SECONDS);
                if (outcome instanceof Lock lock) {
                    winners.add(lock);
                } else {
                    @SuppressWarnings("unchecked")
                    List<Lock> holders = (List<Lock>) outcome;
                    seenByLosers.add(holders);
                }
            }
        } finally {
            pool.shutdownNow();
        }
    }
}
