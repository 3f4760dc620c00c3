package tracker.locks.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tracker.locks.testkit.ServerProcess;

/** The client library against the shipped server, a real process. */
class LockClientIT {

    private static final Duration AT_MOST = Duration.ofSeconds(30);
    private static final Duration LEASE = Duration.ofSeconds(30);

    @TempDir
    static Path data;
    private static ServerProcess server;
    private static LockClient locks;

    @BeforeAll
    static void startServer() throws Exception {
        server = ServerProcess.start("client-server", Map.of("DB_URL",
                "jdbc:h2:file:" + data.resolve("tracker").toAbsolutePath() + ";DB_CLOSE_ON_EXIT=FALSE")).awaitHealthy();
        locks = LockClient.builder(URI.create("http://127.0.0.1:" + server.httpPort())).build();
    }

    @AfterAll
    static void stopServer() throws Exception {
        locks.close();
        server.close();
    }

    @Test
    void renewalKeepsATwoSecondLeaseAliveForTenSecondsAndCloseReleases() throws Exception {
        HeldLock lock = locks.acquire(LockRequest.of("renewed", "client-it").ttl(Duration.ofSeconds(2)));
        Instant end = Instant.now().plusSeconds(10);
        while (Instant.now().isBefore(end)) {
            assertThat(lock.isHeld()).isTrue();
            assertThat(locks.get(lock.id())).as("still held by the server").isPresent();
            Thread.sleep(500); // sampling the server while the lease (2s) is renewed in the background
        }
        assertThat(lock.lost()).isNotDone();

        lock.close();

        assertThat(lock.isHeld()).isFalse();
        assertThat(locks.get(lock.id())).isEmpty();
        assertThat(lock.lost()).as("a release is not a loss").isNotDone();
    }

    @Test
    void aForceReleaseIsReportedWithinOneRenewalInterval() throws Exception {
        Duration ttl = Duration.ofSeconds(3);
        try (HeldLock lock = locks.acquire(LockRequest.of("force-released", "client-it").ttl(ttl))) {
            Instant released = Instant.now();
            assertThat(locks.release(lock.id())).isTrue();

            String reason = lock.lost().get(ttl.toMillis() / 3 + 2_000, TimeUnit.MILLISECONDS);

            assertThat(reason).contains("no longer holds it");
            assertThat(Duration.between(released, Instant.now())).isLessThan(ttl.dividedBy(3).plusSeconds(1));
            assertThat(lock.isHeld()).isFalse();
        }
    }

    @Test
    void aConflictCarriesTheHolderAndAnUnreachableServerIsAnotherException() throws Exception {
        try (HeldLock holder = locks.acquire(LockRequest.of("conflict", "first").ttl(Duration.ofSeconds(30)))) {
            LockHeldException held = catchThrowableOfType(LockHeldException.class,
                    () -> locks.acquire(LockRequest.of("conflict", "second").waitingUpTo(Duration.ofMillis(300))
                            .ttl(Duration.ofSeconds(30))));

            assertThat(held.holder().id()).isEqualTo(holder.id());
            assertThat(held.holder().who()).isEqualTo("first");
            assertThat(held.holder().token()).isEqualTo(holder.token());
        }
        try (LockClient nowhere = LockClient.builder(URI.create("http://127.0.0.1:" + ServerProcess.freePort()))
                .connectTimeout(Duration.ofSeconds(1)).build()) {
            assertThat(catchThrowableOfType(LockServerException.class,
                    () -> nowhere.acquire(LockRequest.of("anything", "x")))).hasMessageContaining("cannot reach");
        }
        assertThat(catchThrowableOfType(LockRejectedException.class,
                () -> locks.acquire(LockRequest.of("bad", "x").ttl(Duration.ofDays(30)))).status()).isEqualTo(400);
    }

    @Test
    void aSemaphoreOfTwoHasTwoHoldersAThirdIsToldBothAndAWaiterIsQueuedUntilAPlaceIsFree() throws Exception {
        try (HeldLock one = locks.acquire(LockRequest.of("semaphore", "one").limit(2).ttl(LEASE));
             HeldLock two = locks.acquire(LockRequest.of("semaphore", "two").limit(2).ttl(LEASE))) {
            assertThat(one.id()).isNotEqualTo(two.id());
            assertThat(List.of(one.info(), two.info())).allSatisfy(holder -> {
                assertThat(holder.limit()).isEqualTo(2);
                assertThat(holder.mode()).isEqualTo(LockMode.EXCLUSIVE);
            });
            assertThat(two.token()).as("a fencing token of its own").isGreaterThan(one.token());

            LockHeldException full = catchThrowableOfType(LockHeldException.class,
                    () -> locks.acquire(LockRequest.of("semaphore", "three").limit(2).ttl(LEASE)));
            assertThat(full.holders()).extracting(LockInfo::id).containsExactly(one.id(), two.id());
            assertThat(full.holder().id()).as("the oldest").isEqualTo(one.id());
            assertThat(full.heldWithAnotherLimit()).isFalse();

            LockHeldException another = catchThrowableOfType(LockHeldException.class,
                    () -> locks.acquire(LockRequest.of("semaphore", "greedy").limit(3).ttl(LEASE)));
            assertThat(another.heldWithAnotherLimit()).isTrue();
            assertThat(another.holders()).extracting(LockInfo::id).containsExactly(one.id(), two.id());
            assertThat(another).hasMessageContaining("every holder of a key must ask for the same limit");

            assertThat(locks.get(one.id()).orElseThrow().waiters()).isZero();
            CompletableFuture<HeldLock> third = CompletableFuture.supplyAsync(() -> locks.acquire(
                    LockRequest.of("semaphore", "three").limit(2).ttl(LEASE).waitingUpTo(AT_MOST)));
            awaitTrue(() -> !locks.queue("semaphore").isEmpty(), "the third waits in line");

            assertThat(locks.queue("semaphore")).singleElement().satisfies(waiting -> {
                assertThat(waiting.who()).isEqualTo("three");
                assertThat(waiting.position()).isEqualTo(1);
                assertThat(waiting.limit()).isEqualTo(2);
                assertThat(waiting.mode()).isEqualTo(LockMode.EXCLUSIVE);
                assertThat(waiting.since()).isBeforeOrEqualTo(Instant.now());
            });
            assertThat(locks.queue("semaphore", "no-such-environment", null)).isEmpty();
            assertThat(locks.get(one.id()).orElseThrow().waiters()).isEqualTo(1);
            assertThat(locks.list()).filteredOn(lock -> lock.service().equals("semaphore"))
                    .extracting(LockInfo::waiters).containsExactly(1, 1);
            assertThat(third).as("no place is free yet").isNotDone();

            one.close();

            try (HeldLock placed = third.get(AT_MOST.toSeconds(), TimeUnit.SECONDS)) {
                assertThat(placed.info().who()).isEqualTo("three");
                assertThat(placed.info().limit()).isEqualTo(2);
                assertThat(locks.queue("semaphore")).isEmpty();
            }
        }
    }

    @Test
    void sharedHoldersHoldTogetherAndAnExclusiveOneAloneEachToldTheOthers() throws Exception {
        try (HeldLock reader = locks.acquire(LockRequest.of("readers", "reader-1").shared().ttl(LEASE));
             HeldLock other = locks.acquire(LockRequest.of("readers", "reader-2").shared().ttl(LEASE))) {
            assertThat(reader.info().mode()).isEqualTo(LockMode.SHARED);
            LockHeldException held = catchThrowableOfType(LockHeldException.class,
                    () -> locks.acquire(LockRequest.of("readers", "migration").ttl(LEASE)));

            assertThat(held.holders()).extracting(LockInfo::who).containsExactly("reader-1", "reader-2");
            assertThat(held.holders()).extracting(LockInfo::mode).containsOnly(LockMode.SHARED);
            assertThat(held.heldWithAnotherLimit()).as("another mode is simply held").isFalse();
        }
        try (HeldLock migration = locks.acquire(LockRequest.of("readers", "migration").ttl(LEASE))) {
            LockHeldException held = catchThrowableOfType(LockHeldException.class,
                    () -> locks.acquire(LockRequest.of("readers", "reader-3").shared().ttl(LEASE)));

            assertThat(held.holders()).extracting(LockInfo::id).containsExactly(migration.id());
            assertThat(held.holder().mode()).isEqualTo(LockMode.EXCLUSIVE);
        }
        LockRejectedException sharedWithLimit = catchThrowableOfType(LockRejectedException.class,
                () -> locks.acquire(LockRequest.of("readers", "x").shared().limit(2)));
        assertThat(sharedWithLimit.status()).isEqualTo(400);
        assertThat(sharedWithLimit).hasMessageContaining("limit");
    }

    private static void awaitTrue(BooleanSupplier condition, String what) throws InterruptedException {
        Instant deadline = Instant.now().plus(AT_MOST);
        while (!condition.getAsBoolean()) {
            assertThat(Instant.now()).as(what + " within " + AT_MOST).isBefore(deadline);
            Thread.sleep(50); // polling a real server
        }
    }
}
