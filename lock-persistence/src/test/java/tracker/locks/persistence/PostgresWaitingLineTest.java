package tracker.locks.persistence;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import javax.sql.DataSource;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tracker.locks.domain.model.HolderRule;
import tracker.locks.domain.model.Lock;
import tracker.locks.domain.model.LockMode;
import tracker.locks.domain.model.LockPolicy;
import tracker.locks.domain.model.QueueFilter;
import tracker.locks.domain.model.WaitingClient;
import tracker.locks.domain.port.in.AcquireLockCommand;
import tracker.locks.domain.port.in.Caller;
import tracker.locks.domain.port.out.LockIdGenerator;
import tracker.locks.domain.service.LockService;

/**
 * The line kept in PostgreSQL, with two lock services on one database as two instances have them (each its own
 * pool, release listener and line): waiters are served in arrival order whichever instance they called, and an
 * entry its instance stopped renewing leaves the line within its lease.
 */
class PostgresWaitingLineTest {

    /** A client that stays for its answer, as a watched REST or gRPC caller does. */
    private static final Caller STAYS = () -> false;

    private final List<AutoCloseable> toClose = new ArrayList<>();
    private final ExecutorService clients = Executors.newCachedThreadPool();
    private DataSource database;

    @BeforeEach
    void migrate() {
        database = TestDataSources.postgres();
        LockSchema.migrate(database, SqlDialect.POSTGRESQL);
    }

    @AfterEach
    void close() throws Exception {
        clients.shutdownNow();
        for (AutoCloseable closeable : toClose) {
            closeable.close();
        }
    }

    @Test
    void waitersOnTwoInstancesAreServedInArrivalOrder() throws Exception {
        Instance a = instance();
        Instance b = instance();
        Lock holder = a.service.acquire(AcquireLockCommand.of("deploy", "holder"), Caller.UNOBSERVED);
        BlockingQueue<Lock> granted = new LinkedBlockingQueue<>();
        int waiters = 6;
        for (int i = 0; i < waiters; i++) {
            Instance through = i % 2 == 0 ? a : b;
            int arrived = i + 1;
            clients.submit(() -> granted.add(through.service.acquire(AcquireLockCommand.of("deploy", "waiter-" + arrived)
                    .withWait(Duration.ofSeconds(30)), STAYS)));
            awaitTrue(() -> b.line.queue(QueueFilter.of("deploy", null, null)).size() == arrived,
                    "waiter-" + arrived + " in line");
        }
        assertThat(a.line.queue(QueueFilter.of("deploy", null, null))).extracting(WaitingClient::who)
                .containsExactly("waiter-1", "waiter-2", "waiter-3", "waiter-4", "waiter-5", "waiter-6");
        assertThat(b.line.waitingFor(List.of(holder.key()))).containsEntry(holder.key(), waiters);

        List<String> order = new ArrayList<>();
        Lock current = holder;
        for (int i = 0; i < waiters; i++) {
            (i % 2 == 0 ? b : a).service.release(current.id().toString()); // released through either instance
            current = granted.poll(10, TimeUnit.SECONDS);
            assertThat(current).as("grant %d", i + 1).isNotNull();
            order.add(current.who());
        }
        assertThat(order).containsExactly("waiter-1", "waiter-2", "waiter-3", "waiter-4", "waiter-5", "waiter-6");
        assertThat(a.line.queue(QueueFilter.of("deploy", null, null))).isEmpty();
    }

    @Test
    void anEntryItsInstanceStoppedRenewingLeavesTheLineWithinItsLease() throws Exception {
        Instance a = instance();
        Instance frozen = instance();
        Lock holder = a.service.acquire(AcquireLockCommand.of("deploy", "holder"), Caller.UNOBSERVED);
        Future<Lock> stuck = clients.submit(() -> frozen.service.acquire(AcquireLockCommand.of("deploy", "on-frozen")
                .withWait(Duration.ofSeconds(60)), STAYS));
        awaitTrue(() -> a.line.queue(QueueFilter.of("deploy", null, null)).size() == 1, "on-frozen in line");
        Future<Lock> next = clients.submit(() -> a.service.acquire(AcquireLockCommand.of("deploy", "next")
                .withWait(Duration.ofSeconds(60)), STAYS));
        awaitTrue(() -> a.line.queue(QueueFilter.of("deploy", null, null)).size() == 2, "next in line");

        // The frozen instance stops renewing and stops trying (its waiter can no longer be woken or polled).
        frozen.line.close();
        frozen.pause();
        Instant stopped = Instant.now();
        a.service.release(holder.id().toString());

        Lock granted = next.get(PostgresWaitingLine.ENTRY_LEASE.toSeconds() + 10, TimeUnit.SECONDS);
        Duration took = Duration.between(stopped, Instant.now());
        assertThat(granted.who()).isEqualTo("next");
        assertThat(took).as("the line waited for the lapsed entry at most its lease and a recheck")
                .isLessThan(PostgresWaitingLine.ENTRY_LEASE.plus(PostgresWaitingLine.RECHECK_AFTER).plusSeconds(3));
        System.out.println("a frozen instance's waiter held up the line for " + took.toMillis() + " ms");
        assertThat(stuck.isDone()).isFalse();
    }

    @Test
    void aWaiterWhoseWaitEndsOrWhoGivesUpLeavesTheLineAtOnce() throws Exception {
        Instance a = instance();
        Instance b = instance();
        Lock holder = a.service.acquire(AcquireLockCommand.of("deploy", "holder"), Caller.UNOBSERVED);
        java.util.concurrent.atomic.AtomicBoolean gone = new java.util.concurrent.atomic.AtomicBoolean();
        Future<Object> leaving = clients.submit(() -> {
            try {
                return b.service.acquire(AcquireLockCommand.of("deploy", "gives-up").withWait(Duration.ofSeconds(30)),
                        gone::get);
            } catch (RuntimeException e) {
                return e;
            }
        });
        Future<Object> timingOut = clients.submit(() -> {
            try {
                return a.service.acquire(AcquireLockCommand.of("deploy", "short-wait")
                        .withWait(Duration.ofMillis(1500)), STAYS);
            } catch (RuntimeException e) {
                return e;
            }
        });
        awaitTrue(() -> a.line.queue(QueueFilter.of("deploy", null, null)).size() == 2, "both in line");

        gone.set(true);
        assertThat(leaving.get(5, TimeUnit.SECONDS))
                .isInstanceOf(tracker.locks.domain.model.CallerGoneException.class);
        assertThat(a.line.queue(QueueFilter.of("deploy", null, null))).extracting(WaitingClient::who)
                .as("the client that gave up is out of the line at once").containsExactly("short-wait");
        assertThat(timingOut.get(5, TimeUnit.SECONDS)).isInstanceOf(tracker.locks.domain.model.LockHeldException.class);
        assertThat(b.line.queue(QueueFilter.of("deploy", null, null))).as("a wait that ended leaves too").isEmpty();
        assertThat(a.line.waitingFor(List.of(holder.key()))).isEmpty();
    }

    @Test
    void aWaitingExclusiveRequestKeepsSharedNewcomersOnAnyInstanceOut() throws Exception {
        Instance a = instance();
        Instance b = instance();
        HolderRule shared = new HolderRule(1, LockMode.SHARED);
        Lock reader = a.service.acquire(AcquireLockCommand.of("schema", "reader").withRule(shared), Caller.UNOBSERVED);
        Future<Lock> migration = clients.submit(() -> a.service.acquire(AcquireLockCommand.of("schema", "migration")
                .withWait(Duration.ofSeconds(30)), STAYS));
        awaitTrue(() -> b.line.exclusiveWaitingFor(reader.key()), "the migration waits");

        try {
            b.service.acquire(AcquireLockCommand.of("schema", "late-reader").withRule(shared), Caller.UNOBSERVED);
            throw new AssertionError("a shared newcomer joined the readers while a migration waited");
        } catch (tracker.locks.domain.model.LockHeldException expected) {
            assertThat(expected.holders()).containsExactly(reader);
        }
        Future<Lock> lateReader = clients.submit(() -> b.service.acquire(AcquireLockCommand.of("schema", "late-reader")
                .withRule(shared).withWait(Duration.ofSeconds(30)), STAYS));
        awaitTrue(() -> a.line.queue(QueueFilter.of("schema", null, null)).size() == 2, "the late reader in line");

        b.service.release(reader.id().toString());
        Lock migrating = migration.get(10, TimeUnit.SECONDS);
        assertThat(lateReader.isDone()).as("the reader waits for the migration").isFalse();
        a.service.release(migrating.id().toString());
        assertThat(lateReader.get(10, TimeUnit.SECONDS).rule()).isEqualTo(shared);
    }

    /** One instance: its own pool on the shared database, release listener, line and service. */
    private Instance instance() throws InterruptedException {
        Jdbi jdbi = Jdbi.create(database);
        PostgresReleaseListener listener = new PostgresReleaseListener(database::getConnection);
        PostgresWaitingLine line = new PostgresWaitingLine(jdbi);
        PausableRepository repository = new PausableRepository(JdbiLockRepository.on(jdbi, SqlDialect.POSTGRESQL));
        LockService service = new LockService(repository, LockIdGenerator.random(), LockPolicy.DEFAULTS,
                Clock.systemUTC(), listener, line);
        listener.start();
        line.start();
        toClose.add(listener);
        toClose.add(line);
        awaitTrue(listener::isListening, "the release listener connected");
        return new Instance(service, line, repository);
    }

    private static void awaitTrue(BooleanSupplier condition, String what) throws InterruptedException {
        Instant deadline = Instant.now().plusSeconds(10);
        while (!condition.getAsBoolean()) {
            assertThat(Instant.now()).as("waiting for: " + what).isBefore(deadline);
            Thread.sleep(10);
        }
    }

    private record Instance(LockService service, PostgresWaitingLine line, PausableRepository repository) {
        /** Like a frozen process: its store calls block from now on. */
        void pause() {
            repository.pause();
        }
    }

    /** A repository whose calls can be made to block for good, as a frozen instance's would. */
    private static final class PausableRepository implements tracker.locks.domain.port.out.LockRepository {
        private final tracker.locks.domain.port.out.LockRepository store;
        private final java.util.concurrent.CountDownLatch never = new java.util.concurrent.CountDownLatch(1);
        private volatile boolean paused;

        PausableRepository(tracker.locks.domain.port.out.LockRepository store) {
            this.store = store;
        }

        void pause() {
            paused = true;
        }

        private void blockIfPaused() {
            if (paused) {
                try {
                    never.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("interrupted while frozen", e);
                }
            }
        }

        @Override
        public tracker.locks.domain.port.out.AcquireOutcome acquire(
                tracker.locks.domain.port.out.LockCandidate candidate) {
            blockIfPaused();
            return store.acquire(candidate);
        }

        @Override
        public java.util.Optional<Lock> findHeld(tracker.locks.domain.model.LockId id) {
            return store.findHeld(id);
        }

        @Override
        public java.util.Optional<Lock> release(tracker.locks.domain.model.LockId id) {
            return store.release(id);
        }

        @Override
        public java.util.Optional<tracker.locks.domain.model.Released> releaseAsAdmin(
                tracker.locks.domain.model.LockId id, String admin) {
            return store.releaseAsAdmin(id, admin);
        }

        @Override
        public java.util.Optional<Lock> renew(tracker.locks.domain.model.LockId id, Duration ttl) {
            return store.renew(id, ttl);
        }

        @Override
        public tracker.locks.domain.model.LockPage page(tracker.locks.domain.model.PageRequest request,
                                                        tracker.locks.domain.model.ServicePatterns services) {
            return store.page(request, services);
        }

        @Override
        public int deleteEndedBefore(Duration retention) {
            return store.deleteEndedBefore(retention);
        }

        @Override
        public int endLapsedLeases() {
            return store.endLapsedLeases();
        }

        @Override
        public tracker.locks.domain.model.LockEventPage history(tracker.locks.domain.model.HistoryFilter filter,
                                                                tracker.locks.domain.model.PageRequest page) {
            return store.history(filter, page);
        }

        @Override
        public List<tracker.locks.domain.model.LockEvent> history(tracker.locks.domain.model.LockId id) {
            return store.history(id);
        }

        @Override
        public int deleteHistoryBefore(Duration retention) {
            return store.deleteHistoryBefore(retention);
        }
    }
}
