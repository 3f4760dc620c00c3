package tracker.locks.domain.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import tracker.locks.domain.model.CallerGoneException;
import tracker.locks.domain.model.InvalidLockRequestException;
import tracker.locks.domain.model.Lock;
import tracker.locks.domain.model.LockHeldException;
import tracker.locks.domain.model.LockKey;
import tracker.locks.domain.model.LockPage;
import tracker.locks.domain.model.LockPolicy;
import tracker.locks.domain.model.PageRequest;
import tracker.locks.domain.port.in.AcquireLockCommand;
import tracker.locks.domain.port.in.Caller;
import tracker.locks.domain.testing.AnnouncedReleases;
import tracker.locks.domain.testing.InMemoryLockRepository;
import tracker.locks.domain.testing.LockServices;

/** Waiting for a held key, on the real clock: waits are real, and short. */
class WaitingForLocksTest {

    /** A release wakes the first waiter directly; it must hold the key well before the 1 s fallback poll. */
    static final Duration WAKE_BOUND = Duration.ofMillis(250);

    private final InMemoryLockRepository repository = new InMemoryLockRepository(Clock.systemUTC());
    private final AnnouncedReleases releasesElsewhere = new AnnouncedReleases();
    private final LockService service = LockServices.on(repository, Clock.systemUTC(), LockPolicy.DEFAULTS,
            releasesElsewhere);
    private final ExecutorService clients = Executors.newCachedThreadPool();

    /** A caller the transport watches (as gRPC does), and who stays. */
    private static final Caller PRESENT = () -> false;

    @AfterEach
    void stopClients() {
        clients.shutdownNow();
    }

    @Test
    void aWaiterGetsTheLockPromptlyWhenTheHolderReleases() throws Exception {
        Lock holder = service.acquire(AcquireLockCommand.of("deploy", "first"), Caller.UNOBSERVED);
        Future<Lock> waiter = clients.submit(() -> service.acquire(
                AcquireLockCommand.of("deploy", "second").withWait(Duration.ofSeconds(10)), PRESENT));
        awaitWaiting(1);

        Instant released = Instant.now();
        service.release(holder.id().toString());
        Lock acquired = waiter.get(5, TimeUnit.SECONDS);

        assertThat(acquired.who()).isEqualTo("second");
        assertThat(Duration.between(released, Instant.now())).isLessThan(WAKE_BOUND);
    }

    @Test
    void theListSaysHowManyWaitForEachKey() throws Exception {
        Lock deploy = service.acquire(AcquireLockCommand.of("deploy", "first"), Caller.UNOBSERVED);
        Lock nightly = service.acquire(AcquireLockCommand.of("nightly", "cron"), Caller.UNOBSERVED);
        for (int i = 0; i < 2; i++) {
            String who = "waiter-" + i;
            clients.submit(() -> service.acquire(
                    AcquireLockCommand.of("deploy", who).withWait(Duration.ofSeconds(10)), PRESENT));
        }
        awaitWaiting(2);

        LockPage page = service.list(new PageRequest(1, 10));

        assertThat(page.waitersFor(deploy)).isEqualTo(2);
        assertThat(page.waitersFor(nightly)).isZero();
        service.release(deploy.id().toString());
    }

    @Test
    void aWaiterGetsTheLockWhenTheHoldersLeaseRunsOut() throws Exception {
        Lock holder = service.acquire(AcquireLockCommand.of("deploy", "crashed").withTtl(Duration.ofMillis(300)),
                Caller.UNOBSERVED);

        Lock acquired = service.acquire(AcquireLockCommand.of("deploy", "next").withWait(Duration.ofSeconds(5)),
                PRESENT);

        assertThat(acquired.createdAt()).isAfterOrEqualTo(holder.expiresAt());
        assertThat(Duration.between(holder.expiresAt(), acquired.createdAt())).isLessThan(WAKE_BOUND);
        assertThat(acquired.token()).isGreaterThan(holder.token());
    }

    @Test
    void waitersAreServedOneAtATimeInArrivalOrder() throws Exception {
        LockKey key = LockKey.ofService("nightly-report");
        Lock holder = service.acquire(AcquireLockCommand.of("nightly-report", "holder"), Caller.UNOBSERVED);
        List<String> order = new CopyOnWriteArrayList<>();
        AtomicBoolean overlap = new AtomicBoolean();
        AtomicBoolean holding = new AtomicBoolean();
        List<Future<?>> waiters = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            String who = "waiter-" + i;
            waiters.add(clients.submit(() -> {
                Lock lock = service.acquire(AcquireLockCommand.of("nightly-report", who)
                        .withWait(Duration.ofSeconds(20)), PRESENT);
                if (!holding.compareAndSet(false, true)) {
                    overlap.set(true);
                }
                order.add(who);
                Thread.sleep(20); // the guarded work
                holding.set(false);
                service.release(lock.id().toString());
                return null;
            }));
            awaitWaiting(i + 1); // arrival order is the order they joined the line
        }

        service.release(holder.id().toString());
        for (Future<?> waiter : waiters) {
            waiter.get(20, TimeUnit.SECONDS);
        }

        assertThat(order).containsExactly("waiter-0", "waiter-1", "waiter-2", "waiter-3", "waiter-4");
        assertThat(overlap).isFalse();
        assertThat(service.waiting()).isZero();
    }

    @Test
    void aWaiterWhoseTimeRunsOutGetsTheUsualConflictAndHoldsNothing() {
        Lock holder = service.acquire(AcquireLockCommand.of("deploy", "first"), Caller.UNOBSERVED);
        Instant start = Instant.now();

        assertThatThrownBy(() -> service.acquire(AcquireLockCommand.of("deploy", "impatient")
                .withWait(Duration.ofMillis(300)), PRESENT))
                .isInstanceOfSatisfying(LockHeldException.class, e -> assertThat(e.holder()).isEqualTo(holder));

        assertThat(Duration.between(start, Instant.now())).isBetween(Duration.ofMillis(300), Duration.ofSeconds(2));
        assertThat(service.waiting()).isZero();
        service.release(holder.id().toString());
        assertThat(service.list(new PageRequest(1, 10)).locks()).isEmpty();
    }

    @Test
    void aCallerThatGivesUpStopsWaitingAndNeverEndsUpHoldingTheLock() throws Exception {
        Lock holder = service.acquire(AcquireLockCommand.of("deploy", "first"), Caller.UNOBSERVED);
        AtomicBoolean gone = new AtomicBoolean();
        CompletableFuture<Throwable> outcome = new CompletableFuture<>();
        clients.submit(() -> {
            try {
                service.acquire(AcquireLockCommand.of("deploy", "vanishing").withWait(Duration.ofSeconds(30)),
                        gone::get);
                outcome.complete(null);
            } catch (RuntimeException e) {
                outcome.complete(e);
            }
        });
        awaitWaiting(1);

        gone.set(true);

        assertThat(outcome.get(2, TimeUnit.SECONDS)).isInstanceOf(CallerGoneException.class);
        service.release(holder.id().toString());
        assertThat(service.list(new PageRequest(1, 10)).locks()).isEmpty();
    }

    @Test
    void aLockTakenForACallerWhoLeftMeanwhileIsReleasedAtOnce() {
        Lock holder = service.acquire(AcquireLockCommand.of("deploy", "first"), Caller.UNOBSERVED);
        // The caller is present while waiting and gone by the time the key is taken for it.
        BooleanSupplier goneAfterTheRelease = () -> service.list(new PageRequest(1, 10)).locks().stream()
                .anyMatch(lock -> lock.who().equals("too-late"));
        clients.submit(() -> {
            Thread.sleep(100);
            service.release(holder.id().toString());
            return null;
        });

        assertThatThrownBy(() -> service.acquire(AcquireLockCommand.of("deploy", "too-late")
                .withWait(Duration.ofSeconds(5)), goneAfterTheRelease::getAsBoolean))
                .isInstanceOf(CallerGoneException.class);
        assertThat(service.list(new PageRequest(1, 10)).locks()).isEmpty();
    }

    @Test
    void aWaitForACallerNobodyCanWatchNeedsALease() {
        service.acquire(AcquireLockCommand.of("deploy", "first"), Caller.UNOBSERVED);

        assertThatThrownBy(() -> service.acquire(AcquireLockCommand.of("deploy", "rest-client")
                .withWait(Duration.ofSeconds(5)), Caller.UNOBSERVED))
                .isInstanceOfSatisfying(InvalidLockRequestException.class, e -> {
                    assertThat(e.field()).isEqualTo("ttl");
                    assertThat(e.getMessage()).startsWith("ttl is required with wait");
                });
        assertThat(service.waiting()).isZero();
    }

    @Test
    void newsOfAReleaseElsewhereWakesTheWaiter() throws Exception {
        // Two instances over one store: instance B releases, and only its news reaches instance A.
        LockService instanceB = LockServices.on(repository, Clock.systemUTC());
        Lock holder = instanceB.acquire(AcquireLockCommand.of("deploy", "on-b"), Caller.UNOBSERVED);
        Future<Lock> waiter = clients.submit(() -> service.acquire(
                AcquireLockCommand.of("deploy", "on-a").withWait(Duration.ofSeconds(10)), PRESENT));
        awaitWaiting(1);

        Instant released = Instant.now();
        instanceB.release(holder.id().toString());
        releasesElsewhere.announce(LockKey.ofService("deploy"));

        assertThat(waiter.get(5, TimeUnit.SECONDS).who()).isEqualTo("on-a");
        assertThat(Duration.between(released, Instant.now())).isLessThan(WAKE_BOUND);
    }

    /** Waits (bounded) until {@code count} clients of this instance wait. */
    private void awaitWaiting(int count) throws InterruptedException {
        Instant deadline = Instant.now().plusSeconds(5);
        while (service.waiting() < count && Instant.now().isBefore(deadline)) {
            Thread.sleep(5); // the client thread is on its way into the line
        }
        assertThat(service.waiting()).as("clients waiting").isEqualTo(count);
    }
}
