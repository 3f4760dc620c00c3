package tracker.locks.domain.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import tracker.locks.domain.model.HolderRule;
import tracker.locks.domain.model.InvalidLockRequestException;
import tracker.locks.domain.model.Lock;
import tracker.locks.domain.model.LockHeldException;
import tracker.locks.domain.model.LockMode;
import tracker.locks.domain.model.QueueFilter;
import tracker.locks.domain.model.WaitingClient;
import tracker.locks.domain.port.in.AcquireLockCommand;
import tracker.locks.domain.port.in.Caller;
import tracker.locks.domain.testing.LockServices;

/** Waiting for semaphores and shared keys in the service's own line, on the real clock: waits are real, and short. */
class SharedAndSemaphoreWaitingTest {

    private static final HolderRule SHARED = new HolderRule(1, LockMode.SHARED);
    private static final HolderRule TWO = new HolderRule(2, LockMode.EXCLUSIVE);
    private static final Caller PRESENT = () -> false;

    private final LockService service = LockServices.inMemory(Clock.systemUTC());
    private final ExecutorService clients = Executors.newCachedThreadPool();

    @AfterEach
    void stopClients() {
        clients.shutdownNow();
    }

    /** Readers keep coming while a migration waits: the migration is served before every reader who came after it. */
    @Test
    void aWaitingExclusiveRequestIsServedBeforeLaterSharedNewcomers() throws Exception {
        Lock reader = take("schema", "reader-1", SHARED);
        Future<Lock> migration = waitFor("schema", "migration", HolderRule.SINGLE);
        awaitLine("schema", 1);

        LockHeldException lateReader = assertThrows(() -> take("schema", "reader-2", SHARED));
        assertThat(lateReader.holders()).as("no new reader joins while the migration waits").containsExactly(reader);
        assertThat(lateReader.reason()).isEqualTo(LockHeldException.Reason.EXCLUSIVE_WAITING);
        assertThat(lateReader.getMessage()).startsWith("lock already exists").contains("exclusive request waits");
        Future<Lock> waitingReader = waitFor("schema", "reader-3", SHARED);
        awaitLine("schema", 2);
        assertThat(service.queue(QueueFilter.of("schema", null, null))).extracting(WaitingClient::who)
                .containsExactly("migration", "reader-3");

        service.release(reader.id().toString());
        Lock migrating = migration.get(5, TimeUnit.SECONDS);
        assertThat(migrating.who()).isEqualTo("migration");
        assertThat(waitingReader.isDone()).isFalse();

        service.release(migrating.id().toString());
        assertThat(waitingReader.get(5, TimeUnit.SECONDS).who()).isEqualTo("reader-3");
        assertThat(take("schema", "reader-4", SHARED).rule())
                .as("with nobody waiting, readers join readers again").isEqualTo(SHARED);
    }

    @Test
    void aFullSemaphoresWaitersTakeEachFreedPlaceInArrivalOrder() throws Exception {
        Lock first = take("deploys", "a", TWO);
        Lock second = take("deploys", "b", TWO);
        Future<Lock> c = waitFor("deploys", "c", TWO);
        awaitLine("deploys", 1);
        Future<Lock> d = waitFor("deploys", "d", TWO);
        awaitLine("deploys", 2);

        service.release(second.id().toString());
        assertThat(c.get(5, TimeUnit.SECONDS).who()).isEqualTo("c");
        assertThat(d.isDone()).isFalse();
        service.release(first.id().toString());
        Lock fourth = d.get(5, TimeUnit.SECONDS);
        assertThat(fourth.who()).isEqualTo("d");
        assertThat(fourth.token()).isGreaterThan(second.token());
    }

    /**
     * A waiter asking for another limit has no place until every holder is gone: it must not hold up a waiter behind
     * it for whom a place is free now.
     */
    @Test
    void aWaiterWithAnotherLimitDoesNotHoldUpOneThatHasAFreePlace() throws Exception {
        Lock holder = take("deploys", "a", TWO);
        Future<Lock> otherLimit = waitFor("deploys", "wants-three", new HolderRule(3, LockMode.EXCLUSIVE));
        awaitLine("deploys", 1);
        Instant asked = Instant.now();
        Future<Lock> fits = waitFor("deploys", "b", TWO);

        assertThat(fits.get(5, TimeUnit.SECONDS).who()).isEqualTo("b");
        assertThat(Duration.between(asked, Instant.now())).as("served at once, not at the end of its wait")
                .isLessThan(Duration.ofSeconds(2));
        assertThat(otherLimit.isDone()).isFalse();
        LockHeldException refused = assertThrows(() -> take("deploys", "plain", HolderRule.SINGLE));
        assertThat(refused.reason()).isEqualTo(LockHeldException.Reason.OTHER_LIMIT);

        service.release(holder.id().toString());
        service.release(fits.get().id().toString());
        assertThat(otherLimit.get(5, TimeUnit.SECONDS).rule().limit()).isEqualTo(3);
    }

    @Test
    void readersWaitingBehindAWriterAllJoinWhenItReleases() throws Exception {
        Lock writer = take("schema", "migration", HolderRule.SINGLE);
        Future<Lock> r1 = waitFor("schema", "reader-1", SHARED);
        awaitLine("schema", 1);
        Future<Lock> r2 = waitFor("schema", "reader-2", SHARED);
        awaitLine("schema", 2);

        service.release(writer.id().toString());

        assertThat(r1.get(5, TimeUnit.SECONDS).rule()).isEqualTo(SHARED);
        assertThat(r2.get(5, TimeUnit.SECONDS).rule()).isEqualTo(SHARED);
    }

    @Test
    void aLimitOutOfRangeOrWithSharedModeIsRefusedNamingTheField() {
        for (int limit : new int[] {0, -1, 1001}) {
            assertThatThrownBy(() -> new HolderRule(limit, LockMode.EXCLUSIVE))
                    .isInstanceOfSatisfying(InvalidLockRequestException.class,
                            e -> assertThat(e.field()).isEqualTo("limit"))
                    .hasMessageContaining("between 1 and 1000");
        }
        assertThatThrownBy(() -> new HolderRule(2, LockMode.SHARED))
                .isInstanceOfSatisfying(InvalidLockRequestException.class, e -> assertThat(e.field()).isEqualTo("limit"));
        assertThatThrownBy(() -> LockMode.parse("Shared"))
                .isInstanceOfSatisfying(InvalidLockRequestException.class, e -> assertThat(e.field()).isEqualTo("mode"))
                .hasMessageContaining("exclusive or shared");
        assertThat(LockMode.parse(null)).isEqualTo(LockMode.EXCLUSIVE);
    }

    private Lock take(String key, String who, HolderRule rule) {
        return service.acquire(AcquireLockCommand.of(key, who).withRule(rule), Caller.UNOBSERVED);
    }

    private Future<Lock> waitFor(String key, String who, HolderRule rule) {
        return clients.submit(() -> service.acquire(AcquireLockCommand.of(key, who).withRule(rule)
                .withWait(Duration.ofSeconds(10)), PRESENT));
    }

    private void awaitLine(String key, int length) throws InterruptedException {
        awaitTrue(() -> service.queue(QueueFilter.of(key, null, null)).size() == length);
    }

    private static LockHeldException assertThrows(Runnable call) {
        try {
            call.run();
        } catch (LockHeldException held) {
            return held;
        }
        throw new AssertionError("expected the key to be refused");
    }

    private static void awaitTrue(BooleanSupplier condition) throws InterruptedException {
        Instant deadline = Instant.now().plusSeconds(5);
        while (!condition.getAsBoolean()) {
            assertThat(Instant.now()).as("condition within 5 s").isBefore(deadline);
            Thread.sleep(5);
        }
    }
}
