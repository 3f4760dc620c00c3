package tracker.locks.persistence;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.Test;

class LockSchemaTest {

    @Test
    void migratingTwiceChangesNothingAndKeepsTheLocks() {
        DataSource dataSource = TestDataSources.h2("schema-twice");
        LockSchema.migrate(dataSource, SqlDialect.H2);
        Jdbi jdbi = Jdbi.create(dataSource);
        int changeSets = changeSetsApplied(jdbi);
        jdbi.useHandle(h -> h.execute("INSERT INTO locks (id, service, who, created_at)"
                + " VALUES ('6f9619ff-8b86-4011-b42d-00c04fc964ff', 'deploy', 'ci', CURRENT_TIMESTAMP)"));

        LockSchema.migrate(dataSource, SqlDialect.H2);

        String holder = jdbi.withHandle(h -> h.createQuery("SELECT who FROM locks").mapTo(String.class).one());
        assertThat(changeSetsApplied(jdbi)).isEqualTo(changeSets).isPositive();
        assertThat(holder).isEqualTo("ci");
    }

    /**
     * A server killed while it migrated leaves Liquibase's lock taken. On the embedded database nobody else can be
     * migrating, so the next start lets it go instead of waiting five minutes for it and failing.
     */
    @Test
    void aLiquibaseLockLeftByAKilledServerDoesNotHoldUpTheNextStartOnEmbeddedH2() {
        DataSource dataSource = TestDataSources.h2("schema-stale-lock");
        LockSchema.migrate(dataSource, SqlDialect.H2);
        Jdbi jdbi = Jdbi.create(dataSource);
        jdbi.useHandle(h -> h.execute("UPDATE databasechangeloglock SET locked = TRUE, lockgranted = CURRENT_TIMESTAMP,"
                + " lockedby = 'a server killed mid-migration' WHERE id = 1"));

        assertTimeoutPreemptively(Duration.ofSeconds(60), () -> LockSchema.migrate(dataSource, SqlDialect.H2));

        boolean locked = jdbi.withHandle(h -> h.createQuery("SELECT locked FROM databasechangeloglock WHERE id = 1")
                .mapTo(Boolean.class).one());
        assertThat(locked).as("Liquibase's lock after the start").isFalse();
    }

    @Test
    void onlyAnEmbeddedH2DatabaseIsKnownToBeOpenedByThisProcessAlone() {
        assertThat(LockSchema.ownsTheDatabase("jdbc:h2:file:./data/tracker;DB_CLOSE_ON_EXIT=FALSE")).isTrue();
        assertThat(LockSchema.ownsTheDatabase("jdbc:h2:./data/tracker")).isTrue();
        assertThat(LockSchema.ownsTheDatabase("jdbc:h2:mem:x;DB_CLOSE_DELAY=-1")).isTrue();
        assertThat(LockSchema.ownsTheDatabase("jdbc:h2:file:./data/tracker;AUTO_SERVER=TRUE")).isFalse();
        assertThat(LockSchema.ownsTheDatabase("jdbc:h2:tcp://db:9092/tracker")).isFalse();
        assertThat(LockSchema.ownsTheDatabase("jdbc:h2:ssl://db:9092/tracker")).isFalse();
    }

    /** Instances that start together on an empty database all come up with one schema. */
    @Test
    void concurrentMigrationsOfAnEmptyPostgresDatabaseAllSucceed() throws Exception {
        String url = EmbeddedPostgresServer.newDatabaseUrl();
        int instances = 4;
        CyclicBarrier together = new CyclicBarrier(instances);
        ExecutorService pool = Executors.newFixedThreadPool(instances);
        try {
            List<Future<?>> migrations = new ArrayList<>();
            for (int i = 0; i < instances; i++) {
                DataSource ownPool = TestDataSources.postgres(url);
                migrations.add(pool.submit(() -> {
                    together.await(10, TimeUnit.SECONDS);
                    LockSchema.migrate(ownPool, SqlDialect.POSTGRESQL);
                    return null;
                }));
            }
            for (Future<?> migration : migrations) {
                migration.get(60, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
        DataSource migratedAlone = TestDataSources.postgres();
        LockSchema.migrate(migratedAlone, SqlDialect.POSTGRESQL);
        assertThat(changeSetsApplied(Jdbi.create(TestDataSources.postgres(url))))
                .isEqualTo(changeSetsApplied(Jdbi.create(migratedAlone)));
    }

    private static int changeSetsApplied(Jdbi jdbi) {
        return jdbi.withHandle(h -> h.createQuery("SELECT COUNT(*) FROM databasechangelog").mapTo(Integer.class).one());
    }

    @Test
    void leavesPooledConnectionsInAutoCommitMode() throws Exception {
        DataSource dataSource = TestDataSources.postgres();

        LockSchema.migrate(dataSource, SqlDialect.POSTGRESQL);

        try (var connection = dataSource.getConnection()) {
            assertThat(connection.getAutoCommit()).isTrue();
        }
    }
}
