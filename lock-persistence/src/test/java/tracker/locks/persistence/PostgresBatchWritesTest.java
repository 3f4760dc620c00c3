package tracker.locks.persistence;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import tracker.locks.domain.model.Lock;
import tracker.locks.domain.model.LockId;
import tracker.locks.domain.model.LockKey;
import tracker.locks.domain.port.out.AcquireOutcome;
import tracker.locks.domain.port.out.LockCandidate;

/**
 * What a combined statement answers each request in it, on a real PostgreSQL. The repository contract covers the
 * combining under concurrency; these send one batch at a time, with the cases only a batch can contain.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PostgresBatchWritesTest {

    private static final LockKey DEPLOY = new LockKey("deploy", "prod", "");
    private static final LockKey MIGRATE = new LockKey("migrate", "prod", "");

    private Jdbi jdbi;
    private PostgresBatchWrites writes;

    @BeforeAll
    void migrate() {
        var database = TestDataSources.postgres();
        LockSchema.migrate(database, SqlDialect.POSTGRESQL);
        jdbi = Jdbi.create(database);
        writes = new PostgresBatchWrites(jdbi, 1, 64);
    }

    @BeforeEach
    void empty() {
        jdbi.useHandle(handle -> {
            handle.execute("DELETE FROM locks");
            handle.execute("DELETE FROM lock_events");
        });
    }

    @Test
    void aCombinedStatementRecordsOneLifePerLockItEndedAndNoneForTheLosers() {
        LockCandidate first = candidate(DEPLOY, "ci-1", null);
        LockCandidate loser = candidate(DEPLOY, "ci-2", null);
        LockCandidate other = candidate(MIGRATE, "ci-3", null);
        List<AcquireOutcome> outcomes = writes.acquireAll(List.of(first, loser, other));
        Lock deploy = acquired(outcomes.get(0), first);
        Lock migrate = acquired(outcomes.get(2), other);

        assertThat(historyRows()).as("held locks are recorded by their own rows").isEmpty();

        writes.releaseAll(List.of(deploy.id(), migrate.id(), deploy.id()));

        assertThat(historyRows()).containsExactlyInAnyOrder(deploy.id() + " ci-1 released",
                migrate.id() + " ci-3 released");
    }

    /** The history's rows: each a lock's life (its acquisition's holder and its end) or a renewal. */
    private List<String> historyRows() {
        return jdbi.withHandle(handle -> handle.createQuery("SELECT lock_id || ' ' || who || ' ' || action"
                + " FROM lock_events WHERE acquired_at IS NOT NULL OR action = 'renewed'").mapTo(String.class).list());
    }

    @Test
    void ofTwoCandidatesForOneKeyTheFirstTakesItAndTheSecondSeesItHeld() {
        LockCandidate first = candidate(DEPLOY, "ci-1", null);
        LockCandidate second = candidate(DEPLOY, "ci-2", null);
        LockCandidate other = candidate(MIGRATE, "ci-3", Duration.ofMinutes(1));

        List<AcquireOutcome> outcomes = writes.acquireAll(List.of(first, second, other));

        Lock deploy = acquired(outcomes.get(0), first);
        assertThat(outcomes.get(1)).isEqualTo(new AcquireOutcome.KeyHeld(deploy));
        Lock migrate = acquired(outcomes.get(2), other);
        assertThat(migrate.expiresAt()).isEqualTo(migrate.createdAt().plus(Duration.ofMinutes(1)));
        assertThat(migrate.token()).isNotEqualTo(deploy.token());
    }

    @Test
    void candidatesForHeldKeysAreToldTheHolderAndFreeKeysAreTakenInTheSameBatch() {
        Lock holder = acquired(writes.acquireAll(List.of(candidate(DEPLOY, "holder", null))).get(0), null);
        LockCandidate late = candidate(DEPLOY, "late", null);
        LockCandidate free = candidate(MIGRATE, "free", null);

        List<AcquireOutcome> outcomes = writes.acquireAll(List.of(late, free));

        assertThat(outcomes.get(0)).isEqualTo(new AcquireOutcome.KeyHeld(holder));
        acquired(outcomes.get(1), free);
    }

    @Test
    void releasedKeysAreTakenOverInABatchWithGreaterTokens() {
        Lock deploy = acquired(writes.acquireAll(List.of(candidate(DEPLOY, "a", null))).get(0), null);
        Lock migrate = acquired(writes.acquireAll(List.of(candidate(MIGRATE, "b", null))).get(0), null);
        writes.releaseAll(List.of(deploy.id(), migrate.id()));
        LockCandidate nextDeploy = candidate(DEPLOY, "c", null);
        LockCandidate nextMigrate = candidate(MIGRATE, "d", null);

        List<AcquireOutcome> outcomes = writes.acquireAll(List.of(nextMigrate, nextDeploy));

        assertThat(acquired(outcomes.get(0), nextMigrate).token()).isGreaterThan(migrate.token());
        assertThat(acquired(outcomes.get(1), nextDeploy).token()).isGreaterThan(deploy.token());
    }

    @Test
    void ofTwoReleasesOfOneLockOnlyTheFirstReleasesItAndUnknownIdsReleaseNothing() {
        Lock deploy = acquired(writes.acquireAll(List.of(candidate(DEPLOY, "a", null))).get(0), null);
        Lock migrate = acquired(writes.acquireAll(List.of(candidate(MIGRATE, "b", null))).get(0), null);
        LockId unknown = new LockId(UUID.randomUUID());

        List<Optional<Lock>> released = writes.releaseAll(List.of(deploy.id(), unknown, deploy.id(), migrate.id()));

        assertThat(released).containsExactly(Optional.of(deploy), Optional.empty(), Optional.empty(),
                Optional.of(migrate));
        assertThat(writes.releaseAll(List.of(deploy.id(), migrate.id())))
                .containsExactly(Optional.empty(), Optional.empty());
    }

    private static LockCandidate candidate(LockKey key, String who, Duration ttl) {
        return new LockCandidate(new LockId(UUID.randomUUID()), key, who, "event-" + who, ttl);
    }

    /** The lock of an Acquired outcome, which is {@code candidate}'s when one is given. */
    private static Lock acquired(AcquireOutcome outcome, LockCandidate candidate) {
        assertThat(outcome).isInstanceOf(AcquireOutcome.Acquired.class);
        Lock lock = ((AcquireOutcome.Acquired) outcome).lock();
        if (candidate != null) {
            assertThat(lock.id()).isEqualTo(candidate.id());
            assertThat(lock.key()).isEqualTo(candidate.key());
            assertThat(lock.who()).isEqualTo(candidate.who());
            assertThat(lock.eventId()).isEqualTo(candidate.eventId());
        }
        return lock;
    }
}
