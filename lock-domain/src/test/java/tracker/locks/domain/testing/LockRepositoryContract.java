package tracker.locks.domain.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import java.time.Duration;
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
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import tracker.locks.domain.model.HistoryFilter;
import tracker.locks.domain.model.Lock;
import tracker.locks.domain.model.LockAction;
import tracker.locks.domain.model.LockEvent;
import tracker.locks.domain.model.LockEventPage;
import tracker.locks.domain.model.LockHeldException;
import tracker.locks.domain.model.LockId;
import tracker.locks.domain.model.LockKey;
import tracker.locks.domain.model.LockPage;
import tracker.locks.domain.model.PageRequest;
import tracker.locks.domain.model.Released;
import tracker.locks.domain.model.ServicePatterns;
import tracker.locks.domain.port.in.AcquireLockCommand;
import tracker.locks.domain.port.in.Caller;
import tracker.locks.domain.port.out.AcquireOutcome;
import tracker.locks.domain.port.out.LockCandidate;
import tracker.locks.domain.port.out.LockRepository;
import tracker.locks.domain.service.LockService;

/**
 * The behaviour every {@link LockRepository} must have. Run against the in-memory fake, H2 and a real PostgreSQL
 * by subclasses that say how to get an empty repository. Leases are judged by the store's clock, which for every
 * store here is this machine's clock, so expiry is awaited against {@link Instant#now()} — a few hundred ms at most.
 */
public abstract class LockRepositoryContract {

    /** Short enough to keep tests fast, long enough for a slow CI machine to act within it. */
    private static final Duration SHORT_LEASE = Duration.ofMillis(400);

    protected LockRepository repository;

    /** An empty repository; called before every test. */
    protected abstract LockRepository emptyRepository();

    @BeforeEach
    void setUpRepository() {
        repository = emptyRepository();
    }

    /** Semaphores and shared holders on this store. */
    @Nested
    class HolderRules extends HolderRuleContract {
        @Override
        protected LockRepository repository() {
            return repository;
        }
    }

    @Test
    void acquiringAFreeKeyStoresTheLockWithTheStoresTimeAndAToken() {
        Instant before = Instant.now().minusSeconds(5);
        LockCandidate plain = candidate("deploy", "ci-1");
        LockCandidate full = new LockCandidate(newId(), new LockKey("billing", "prod", "db-main"), "ci-2", "event-7",
                null);

        Lock lock = acquired(repository.acquire(plain));
        Lock fullLock = acquired(repository.acquire(full));

        assertThat(lock.id()).isEqualTo(plain.id());
        assertThat(lock.key()).isEqualTo(plain.key());
        assertThat(lock.who()).isEqualTo("ci-1");
        assertThat(lock.eventId()).isNull();
        assertThat(lock.expiresAt()).isNull();
        assertThat(lock.createdAt()).isBetween(before, Instant.now().plusSeconds(5));
        assertThat(fullLock.key()).isEqualTo(new LockKey("billing", "prod", "db-main"));
        assertThat(fullLock.eventId()).isEqualTo("event-7");
        assertThat(fullLock.token()).isGreaterThan(lock.token()).isPositive();

        assertThat(repository.findHeld(lock.id())).contains(lock);
        assertThat(repository.findHeld(fullLock.id())).contains(fullLock);
    }

    @Test
    void aLeaseEndsExactlyTtlAfterCreation() {
        Lock lock = acquired(repository.acquire(leased("deploy", "ci", Duration.ofMillis(1500))));

        assertThat(lock.expiresAt()).isEqualTo(lock.createdAt().plusMillis(1500));
        assertThat(repository.findHeld(lock.id())).contains(lock);
    }

    @Test
    void aSecondLockOnTheSameKeyIsRefusedAndTheHolderReported() {
        Lock holder = acquired(repository.acquire(candidate("deploy", "ci-1")));

        AcquireOutcome outcome = repository.acquire(candidate("deploy", "ci-2"));

        assertThat(outcome).isEqualTo(new AcquireOutcome.KeyHeld(holder));
        assertThat(repository.page(new PageRequest(1, 10), ServicePatterns.ALL).total()).isEqualTo(1);
    }

    @Test
    void environmentAndResourceArePartOfTheKeyButEventIdIsNot() {
        Lock prodDb = acquired(repository.acquire(new LockCandidate(newId(), new LockKey("deploy", "prod", "db"), "c",
                null, null)));

        assertThat(repository.acquire(new LockCandidate(newId(), new LockKey("deploy", "", ""), "a", null, null)))
                .isInstanceOf(AcquireOutcome.Acquired.class);
        assertThat(repository.acquire(new LockCandidate(newId(), new LockKey("deploy", "prod", ""), "b", null, null)))
                .isInstanceOf(AcquireOutcome.Acquired.class);
        assertThat(repository.acquire(new LockCandidate(newId(), new LockKey("deploy", "prod", "db"), "d",
                "other-event", null))).isEqualTo(new AcquireOutcome.KeyHeld(prodDb));
    }

    @Test
    void releasingFreesTheKeyAndOnlyTheFirstReleaseCounts() {
        Lock first = acquired(repository.acquire(candidate("deploy", "ci-1")));

        assertThat(repository.release(first.id())).contains(first);
        assertThat(repository.release(first.id())).isEmpty();
        assertThat(repository.findHeld(first.id())).isEmpty();
        assertThat(repository.renew(first.id(), Duration.ofMinutes(1))).isEmpty();

        Lock second = acquired(repository.acquire(candidate("deploy", "ci-2")));
        assertThat(second.token()).isGreaterThan(first.token());
        assertThat(repository.findHeld(first.id())).isEmpty();
    }

    @Test
    void tokensOfSuccessiveHoldersOfAKeyStrictlyIncrease() {
        long previous = 0;
        for (int i = 0; i < 20; i++) {
            Lock lock = acquired(repository.acquire(candidate("deploy", "ci-" + i)));
            assertThat(lock.token()).isGreaterThan(previous);
            previous = lock.token();
            repository.release(lock.id());
        }
    }

    @Test
    void anUnknownIdIsNeitherFoundNorReleasedNorRenewed() {
        repository.acquire(candidate("deploy", "ci-1"));
        LockId unknown = newId();

        assertThat(repository.findHeld(unknown)).isEmpty();
        assertThat(repository.release(unknown)).isEmpty();
        assertThat(repository.renew(unknown, Duration.ofMinutes(1))).isEmpty();
        assertThat(repository.page(new PageRequest(1, 10), ServicePatterns.ALL).total()).isEqualTo(1);
    }

    @Test
    void anExpiredLockIsGoneEverywhereAndItsKeyIsTakenOverWithAGreaterToken() throws InterruptedException {
        Lock expiring = acquired(repository.acquire(leased("deploy", "paused", SHORT_LEASE)));
        Lock forever = acquired(repository.acquire(candidate("other", "ci")));
        assertThat(repository.acquire(candidate("deploy", "early"))).isEqualTo(new AcquireOutcome.KeyHeld(expiring));

        awaitPast(expiring.expiresAt());

        assertThat(repository.findHeld(expiring.id())).isEmpty();
        assertThat(repository.page(new PageRequest(1, 10), ServicePatterns.ALL).locks()).containsExactly(forever);
        assertThat(repository.page(new PageRequest(1, 10), ServicePatterns.ALL).total()).isEqualTo(1);
        assertThat(repository.release(expiring.id())).isEmpty();
        assertThat(repository.renew(expiring.id(), Duration.ofMinutes(1))).isEmpty();
        Lock successor = acquired(repository.acquire(candidate("deploy", "successor")));
        assertThat(successor.token()).isGreaterThan(expiring.token());
        assertThat(repository.findHeld(successor.id())).contains(successor);
    }

    @Test
    void renewingMovesTheLeaseEndFromNow() throws InterruptedException {
        Lock lock = acquired(repository.acquire(leased("deploy", "ci", SHORT_LEASE)));

        Lock renewed = repository.renew(lock.id(), Duration.ofMinutes(10)).orElseThrow();

        assertThat(renewed.id()).isEqualTo(lock.id());
        assertThat(renewed.token()).isEqualTo(lock.token());
        assertThat(renewed.createdAt()).isEqualTo(lock.createdAt());
        assertThat(renewed.expiresAt()).isAfterOrEqualTo(lock.createdAt().plus(Duration.ofMinutes(10)));
        awaitPast(lock.expiresAt());
        assertThat(repository.findHeld(lock.id())).contains(renewed);
        assertThat(repository.acquire(candidate("deploy", "other"))).isEqualTo(new AcquireOutcome.KeyHeld(renewed));
    }

    @Test
    void renewingALockWithoutLeaseGivesItOne() {
        Lock lock = acquired(repository.acquire(candidate("deploy", "ci")));

        Lock renewed = repository.renew(lock.id(), Duration.ofSeconds(30)).orElseThrow();

        assertThat(renewed.expiresAt()).isAfter(lock.createdAt());
    }

    @Test
    void theReaperForgetsEndedLocksOnlyAndTokensStillGrowAfterwards() throws InterruptedException {
        Lock released = acquired(repository.acquire(candidate("released", "ci")));
        repository.release(released.id());
        Lock expired = acquired(repository.acquire(leased("expired", "ci", SHORT_LEASE)));
        Lock held = acquired(repository.acquire(leased("held", "ci", Duration.ofMinutes(5))));
        Lock forever = acquired(repository.acquire(candidate("forever", "ci")));
        awaitPast(expired.expiresAt());

        assertThat(repository.deleteEndedBefore(Duration.ofMinutes(1))).isZero();
        assertThat(repository.deleteEndedBefore(Duration.ZERO)).isEqualTo(2);

        assertThat(repository.page(new PageRequest(1, 10), ServicePatterns.ALL).locks()).containsExactlyInAnyOrder(held, forever);
        Lock again = acquired(repository.acquire(candidate("released", "ci")));
        assertThat(again.token()).isGreaterThan(forever.token());
    }

    // ---- the history: recorded with each change, in the same transaction ----

    @Test
    void aLocksHistoryIsItsAcquisitionItsRenewalsAndItsRelease() {
        Lock lock = acquired(repository.acquire(new LockCandidate(newId(), new LockKey("deploy", "prod", "db"), "ci-1",
                "event-1", Duration.ofMinutes(1), "pipeline")));
        Lock renewed = repository.renew(lock.id(), Duration.ofMinutes(5)).orElseThrow();
        Instant beforeRelease = Instant.now().minusSeconds(1);
        repository.release(lock.id()).orElseThrow();
        repository.release(lock.id()); // finds nothing: recorded nothing

        List<LockEvent> life = repository.history(lock.id());

        assertThat(life).extracting(LockEvent::action)
                .containsExactly(LockAction.ACQUIRED, LockAction.RENEWED, LockAction.RELEASED);
        assertThat(life).allSatisfy(event -> {
            assertThat(event.lockId()).isEqualTo(lock.id());
            assertThat(event.key()).isEqualTo(new LockKey("deploy", "prod", "db"));
            assertThat(event.who()).isEqualTo("ci-1");
            assertThat(event.owner()).isEqualTo("pipeline");
            assertThat(event.token()).isEqualTo(lock.token());
            assertThat(event.by()).isNull();
        });
        assertThat(life.get(0).at()).isEqualTo(lock.createdAt());
        assertThat(life.get(0).expiresAt()).isEqualTo(lock.expiresAt());
        assertThat(life.get(1).expiresAt()).isEqualTo(renewed.expiresAt());
        assertThat(life.get(1).at()).isAfterOrEqualTo(lock.createdAt());
        assertThat(life.get(2).at()).isAfterOrEqualTo(beforeRelease);
        assertThat(repository.history(newId())).isEmpty();
    }

    @Test
    void anExpiryIsRecordedOnceByTheReaperAtTheLeasesEnd() throws InterruptedException {
        Lock lapsing = acquired(repository.acquire(leased("deploy", "paused", SHORT_LEASE)));
        Lock held = acquired(repository.acquire(leased("other", "ci", Duration.ofMinutes(5))));
        awaitPast(lapsing.expiresAt());

        assertThat(repository.endLapsedLeases()).isEqualTo(1);
        assertThat(repository.endLapsedLeases()).isZero();

        assertThat(repository.history(lapsing.id())).extracting(LockEvent::action, LockEvent::at)
                .containsExactly(tuple(LockAction.ACQUIRED, lapsing.createdAt()),
                        tuple(LockAction.EXPIRED, lapsing.expiresAt()));
        assertThat(repository.findHeld(held.id())).contains(held);
        AcquireOutcome next = repository.acquire(candidate("deploy", "next"));
        assertThat(next).isEqualTo(new AcquireOutcome.Acquired(acquired(next), false));
        assertThat(repository.history(lapsing.id())).hasSize(2);
    }

    @Test
    void takingOverALapsedLeaseRecordsItsExpiryFirstAndSaysSo() throws InterruptedException {
        Lock lapsing = acquired(repository.acquire(leased("deploy", "paused", SHORT_LEASE)));
        awaitPast(lapsing.expiresAt());

        AcquireOutcome outcome = repository.acquire(candidate("deploy", "successor"));
        Lock successor = acquired(outcome);

        assertThat(((AcquireOutcome.Acquired) outcome).replacedLapsed()).isTrue();
        LockEventPage page = repository.history(new HistoryFilter("deploy", null, null), new PageRequest(1, 10));
        assertThat(page.events()).extracting(LockEvent::lockId, LockEvent::action).containsExactly(
                tuple(successor.id(), LockAction.ACQUIRED),
                tuple(lapsing.id(), LockAction.EXPIRED),
                tuple(lapsing.id(), LockAction.ACQUIRED));
        assertThat(page.events().get(1).at()).isEqualTo(lapsing.expiresAt());
        assertThat(page.total()).isEqualTo(3);
        repository.release(successor.id());
        AcquireOutcome afterRelease = repository.acquire(candidate("deploy", "third"));
        assertThat(((AcquireOutcome.Acquired) afterRelease).replacedLapsed()).isFalse();
    }

    @Test
    void anAdminsReleaseOfAnothersLockIsForcedAndNamesTheAdminItsOwnIsPlain() {
        Lock theirs = acquired(repository.acquire(new LockCandidate(newId(), LockKey.ofService("deploy"), "ci", null,
                null, "pipeline")));
        Lock own = acquired(repository.acquire(new LockCandidate(newId(), LockKey.ofService("nightly"), "ops", null,
                null, "on-call")));

        Released forced = repository.releaseAsAdmin(theirs.id(), "on-call").orElseThrow();
        Released plain = repository.releaseAsAdmin(own.id(), "on-call").orElseThrow();

        assertThat(forced).isEqualTo(new Released(theirs, true));
        assertThat(plain).isEqualTo(new Released(own, false));
        assertThat(repository.releaseAsAdmin(theirs.id(), "on-call")).isEmpty();
        LockEvent forceRelease = repository.history(theirs.id()).get(1);
        assertThat(forceRelease.action()).isEqualTo(LockAction.FORCE_RELEASED);
        assertThat(forceRelease.by()).isEqualTo("on-call");
        assertThat(forceRelease.owner()).isEqualTo("pipeline");
        assertThat(repository.history(own.id())).extracting(LockEvent::action, LockEvent::by).containsExactly(
                tuple(LockAction.ACQUIRED, null),
                tuple(LockAction.RELEASED, null));
    }

    @Test
    void aKeysHistoryIsNewestFirstNarrowedByEnvironmentAndResourceAndPaged() {
        List<Lock> prod = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            Lock lock = acquired(repository.acquire(new LockCandidate(newId(), new LockKey("deploy", "prod", ""),
                    "ci-" + i, null, null)));
            repository.release(lock.id());
            prod.add(lock);
        }
        Lock staging = acquired(repository.acquire(new LockCandidate(newId(), new LockKey("deploy", "staging", "db"),
                "ci-s", null, null)));
        acquired(repository.acquire(candidate("other-service", "ci")));

        LockEventPage all = repository.history(new HistoryFilter("deploy", null, null), new PageRequest(1, 100));
        assertThat(all.total()).isEqualTo(7);
        assertThat(all.events().get(0).lockId()).isEqualTo(staging.id());
        assertThat(repository.history(new HistoryFilter("deploy", "staging", "db"), new PageRequest(1, 10)).events())
                .extracting(LockEvent::lockId).containsExactly(staging.id());
        assertThat(repository.history(new HistoryFilter("deploy", null, "db"), new PageRequest(1, 10)).total())
                .isEqualTo(1);
        LockEventPage second = repository.history(new HistoryFilter("deploy", "prod", null), new PageRequest(2, 2));
        assertThat(second.total()).isEqualTo(6);
        assertThat(second.events()).extracting(LockEvent::lockId, LockEvent::action).containsExactly(
                tuple(prod.get(1).id(), LockAction.RELEASED),
                tuple(prod.get(1).id(), LockAction.ACQUIRED));
        assertThat(repository.history(new HistoryFilter("nobody", null, null), new PageRequest(1, 10)).total())
                .isZero();
    }

    @Test
    void withoutAServiceTheHistoryIsEveryServiceThePatternsAdmitNewestFirst() {
        Lock deploy = acquired(repository.acquire(candidate("deploy-web", "ci")));
        Lock nightly = acquired(repository.acquire(candidate("nightly", "cron")));
        repository.release(deploy.id());

        LockEventPage all = repository.history(new HistoryFilter(null, null, null), new PageRequest(1, 10));
        assertThat(all.events()).extracting(LockEvent::lockId, LockEvent::action).containsExactly(
                tuple(deploy.id(), LockAction.RELEASED),
                tuple(nightly.id(), LockAction.ACQUIRED),
                tuple(deploy.id(), LockAction.ACQUIRED));
        assertThat(all.total()).isEqualTo(3);
        LockEventPage deploys = repository.history(new HistoryFilter(null, null, null,
                new ServicePatterns(List.of("deploy-*"))), new PageRequest(1, 10));
        assertThat(deploys.events()).extracting(LockEvent::lockId).containsOnly(deploy.id());
        assertThat(deploys.total()).isEqualTo(2);
    }

    @Test
    void pruningForgetsEventsOlderThanTheRetentionAndKeepsYoungerOnes() throws InterruptedException {
        Lock old = acquired(repository.acquire(candidate("deploy", "old")));
        repository.release(old.id());
        Instant between = Instant.now().plusMillis(200);
        awaitPast(between);
        Lock young = acquired(repository.acquire(candidate("deploy", "young")));

        assertThat(repository.deleteHistoryBefore(Duration.ofDays(1))).isZero();
        int pruned = repository.deleteHistoryBefore(Duration.between(between, Instant.now()).plusMillis(50));

        assertThat(pruned).isEqualTo(2);
        assertThat(repository.history(old.id())).isEmpty();
        assertThat(repository.history(young.id())).extracting(LockEvent::action).containsExactly(LockAction.ACQUIRED);
    }

    @Test
    void pagesListOldestFirstThenByIdWithTheTotal() {
        List<Lock> expected = new ArrayList<>();
        for (int i = 0; i < 7; i++) {
            expected.add(acquired(repository.acquire(candidate("service-" + i, "ci"))));
        }
        expected.sort(InMemoryLockRepository.OLDEST_FIRST);

        LockPage first = repository.page(new PageRequest(1, 3), ServicePatterns.ALL);
        LockPage second = repository.page(new PageRequest(2, 3), ServicePatterns.ALL);
        LockPage third = repository.page(new PageRequest(3, 3), ServicePatterns.ALL);

        assertThat(first.locks()).containsExactlyElementsOf(expected.subList(0, 3));
        assertThat(second.locks()).containsExactlyElementsOf(expected.subList(3, 6));
        assertThat(third.locks()).containsExactlyElementsOf(expected.subList(6, 7));
        assertThat(List.of(first.total(), second.total(), third.total())).containsOnly(7L);
    }

    @Test
    void aPagePastTheEndIsEmptyButKeepsTheTotal() {
        repository.acquire(candidate("deploy", "ci"));

        LockPage farAway = repository.page(new PageRequest(Integer.MAX_VALUE, PageRequest.MAX_PER_PAGE),
                ServicePatterns.ALL);

        assertThat(farAway.locks()).isEmpty();
        assertThat(farAway.total()).isEqualTo(1);
    }

    @Test
    void aPageOfSomeServicesHoldsOnlyTheirLocksAndCountsOnlyThem() {
        Lock web = acquired(repository.acquire(candidate("deploy-web", "ci")));
        Lock api = acquired(repository.acquire(candidate("deploy-api", "ci")));
        Lock literal = acquired(repository.acquire(candidate("100%_sure", "ci")));
        acquired(repository.acquire(candidate("deployer", "ci")));
        acquired(repository.acquire(candidate("100xxsure", "ci")));
        acquired(repository.acquire(candidate("nightly-report", "cron")));

        LockPage deploys = repository.page(new PageRequest(1, 10), new ServicePatterns(List.of("deploy-*")));
        LockPage literally = repository.page(new PageRequest(1, 10), new ServicePatterns(List.of("100%_sure")));
        LockPage firstOfTwo = repository.page(new PageRequest(1, 1),
                new ServicePatterns(List.of("deploy-web", "*_sure")));

        assertThat(deploys.locks()).containsExactlyInAnyOrder(web, api);
        assertThat(deploys.total()).isEqualTo(2);
        assertThat(literally.locks()).as("% and _ are characters in a pattern, not wildcards").containsExactly(literal);
        assertThat(firstOfTwo.locks()).hasSize(1);
        assertThat(firstOfTwo.total()).isEqualTo(2);
    }

    @Test
    void theOwnerIsKeptAndATakeOverRecordsTheNewOne() {
        Lock owned = acquired(repository.acquire(new LockCandidate(newId(), LockKey.ofService("deploy"), "ci-1",
                null, null, "ci-deployer")));
        assertThat(repository.findHeld(owned.id())).hasValueSatisfying(
                lock -> assertThat(lock.owner()).isEqualTo("ci-deployer"));
        assertThat(repository.release(owned.id())).hasValueSatisfying(
                lock -> assertThat(lock.owner()).isEqualTo("ci-deployer"));

        Lock ownerless = acquired(repository.acquire(candidate("deploy", "ci-2")));

        assertThat(ownerless.owner()).as("the row's next lock, taken without authentication").isNull();
        assertThat(repository.findHeld(ownerless.id())).hasValueSatisfying(lock -> assertThat(lock.owner()).isNull());
    }

    @Test
    void anEmptyStoreListsNothing() {
        LockPage page = repository.page(new PageRequest(1, PageRequest.MAX_PER_PAGE), ServicePatterns.ALL);

        assertThat(page.locks()).isEmpty();
        assertThat(page.total()).isZero();
    }

    /**
     * 50 clients take one key at the same instant, round after round, releasing between rounds: in every round
     * exactly one wins and every other one is told that the winner holds the key.
     */
    @Test
    void underARaceExactlyOneClientHoldsTheKeyInEveryRound() throws Exception {
        LockService service = LockServices.on(repository, java.time.Clock.systemUTC());
        long previousToken = 0;
        for (int round = 1; round <= raceRounds(); round++) {
            Lock winner = race(service, AcquireLockCommand.of("contended", "round-" + round), "round " + round);
            assertThat(winner.token()).isGreaterThan(previousToken);
            previousToken = winner.token();
            assertThat(repository.page(new PageRequest(1, 10), ServicePatterns.ALL).locks()).containsExactly(winner);
            service.release(winner.id().toString());
        }
    }

    /**
     * 16 clients at once, each taking and releasing a key of its own over and over (what a store that combines
     * concurrent requests into one statement sees most): every acquisition succeeds with the client's own lock and a
     * token no other acquisition got, every release finds exactly that lock, and nothing is held afterwards.
     */
    @Test
    void concurrentClientsOnKeysOfTheirOwnEachGetAndReleaseTheirOwnLock() throws Exception {
        int clients = 16;
        int rounds = 30;
        CyclicBarrier start = new CyclicBarrier(clients);
        ExecutorService pool = Executors.newFixedThreadPool(clients);
        try {
            List<Future<List<Long>>> tokens = new ArrayList<>();
            for (int c = 0; c < clients; c++) {
                String service = "own-" + c;
                tokens.add(pool.submit(() -> {
                    start.await(10, TimeUnit.SECONDS);
                    List<Long> mine = new ArrayList<>();
                    for (int round = 0; round < rounds; round++) {
                        LockCandidate candidate = candidate(service, service + "-round-" + round);
                        Lock lock = acquired(repository.acquire(candidate));
                        assertThat(lock.id()).isEqualTo(candidate.id());
                        assertThat(lock.key()).isEqualTo(candidate.key());
                        assertThat(lock.who()).isEqualTo(candidate.who());
                        assertThat(repository.release(lock.id())).contains(lock);
                        mine.add(lock.token());
                    }
                    return mine;
                }));
            }
            List<Long> all = new ArrayList<>();
            for (Future<List<Long>> client : tokens) {
                List<Long> mine = client.get(60, TimeUnit.SECONDS);
                assertThat(mine).isSorted().doesNotHaveDuplicates();
                all.addAll(mine);
            }
            assertThat(all).hasSize(clients * rounds).doesNotHaveDuplicates();
            assertThat(repository.page(new PageRequest(1, 10), ServicePatterns.ALL).total()).isZero();
        } finally {
            pool.shutdownNow();
        }
    }

    /** Clients racing for a key whose lease has passed: exactly one takes it over, with a greater token. */
    @Test
    void underARaceExactlyOneClientTakesOverAnExpiredLock() throws Exception {
        LockService service = LockServices.on(repository, java.time.Clock.systemUTC());
        for (int round = 1; round <= 3; round++) {
            Lock expiring = service.acquire(AcquireLockCommand.of("leased", "stalled-" + round)
                    .withTtl(Duration.ofMillis(150)), Caller.UNOBSERVED);
            awaitPast(expiring.expiresAt());

            Lock winner = race(service, AcquireLockCommand.of("leased", "taker-" + round), "takeover " + round);

            assertThat(winner.token()).isGreaterThan(expiring.token());
            service.release(winner.id().toString());
        }
    }

    /** 50 clients acquire at once; asserts one winner whom all the others see as the holder, and returns it. */
    private static Lock race(LockService service, AcquireLockCommand command, String round) throws Exception {
        int clients = 50;
        CyclicBarrier start = new CyclicBarrier(clients);
        ExecutorService pool = Executors.newFixedThreadPool(clients);
        try {
            List<Future<RaceResult>> results = new ArrayList<>();
            for (int c = 0; c < clients; c++) {
                Callable<RaceResult> client = () -> {
                    start.await(10, TimeUnit.SECONDS);
                    try {
                        return RaceResult.won(service.acquire(command, Caller.UNOBSERVED));
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
            assertThat(winners).as("winners of %s", round).hasSize(1);
            Lock winner = winners.get(0);
            assertThat(holdersSeenByLosers).as("holders seen by the losers of %s", round)
                    .hasSize(clients - 1)
                    .allSatisfy(seen -> assertThat(seen).isEqualTo(winner));
            return winner;
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

    /** Waits until this machine's clock is past {@code instant} (plus a little): the stores judge by this clock. */
    protected static void awaitPast(Instant instant) throws InterruptedException {
        long millis = Duration.between(Instant.now(), instant).toMillis() + 20;
        if (millis > 0) {
            Thread.sleep(millis); // waiting out a lease of a few hundred ms, not hoping: the end time is known
        }
    }

    protected static Lock acquired(AcquireOutcome outcome) {
        assertThat(outcome).isInstanceOf(AcquireOutcome.Acquired.class);
        return ((AcquireOutcome.Acquired) outcome).lock();
    }

    protected static LockCandidate candidate(String service, String who) {
        return leased(service, who, null);
    }

    protected static LockCandidate leased(String service, String who, Duration ttl) {
        return new LockCandidate(newId(), LockKey.ofService(service), who, null, ttl);
    }

    protected static LockId newId() {
        return new LockId(UUID.randomUUID());
    }
}
