package tracker.locks.persistence;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.sql.Connection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import liquibase.Contexts;
import liquibase.LabelExpression;
import liquibase.Liquibase;
import liquibase.database.Database;
import liquibase.database.DatabaseFactory;
import liquibase.database.jvm.JdbcConnection;
import liquibase.resource.ClassLoaderResourceAccessor;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.Test;
import tracker.locks.domain.model.LockId;
import tracker.locks.domain.model.LockKey;
import tracker.locks.domain.port.out.AcquireOutcome;
import tracker.locks.domain.port.out.LockCandidate;

class LockSchemaTest {

    /** The change sets of today's changelog. */
    /** The change sets every database runs: the locks table's nine, the history's seven. */
    private static final int CHANGE_SETS = 33;

    /** Those of one database only: the history's trigger and its re-creation (H2), its function, three triggers and
     * the insert trigger's removal, the BRIN index, the release announcement (PostgreSQL). */
    private static int ownChangeSets(SqlDialect dialect) {
        return dialect == SqlDialect.H2 ? 2 : 7;
    }

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

    /**
     * H2 commits each DDL statement at once: a server killed while it created the schema left the table made but
     * the change set not recorded, and every later start failed on "Table LOCKS already exists". The next start
     * records what is there and adds what is missing — the unique key above all.
     */
    @Test
    void aSchemaLeftHalfMadeByAKilledStartIsCompletedOnH2() {
        DataSource dataSource = TestDataSources.h2("schema-half-made");
        aSchemaLeftHalfMadeByAKilledStartIsCompleted(dataSource, SqlDialect.H2);
    }

    /**
     * Two states a start killed inside a change set of several statements left on H2: the history's primary key
     * dropped but its column not, and the first of two new columns added but not the second. The next start
     * completes both.
     */
    @Test
    void aChangeSetKilledBetweenItsStatementsIsCompletedOnH2() {
        DataSource dataSource = TestDataSources.h2("schema-killed-inside-change-set");
        LockSchema.migrate(dataSource, SqlDialect.H2);
        Jdbi jdbi = Jdbi.create(dataSource);
        jdbi.useHandle(h -> {
            h.execute("ALTER TABLE lock_events ADD COLUMN seq BIGINT");
            h.execute("ALTER TABLE lock_events DROP COLUMN acquired_expires_at");
            h.execute("DELETE FROM databasechangelog WHERE id IN ('lock-events-no-seq-key', 'lock-events-no-seq',"
                    + " 'lock-events-acquired-expires-at')");
        });

        LockSchema.migrate(dataSource, SqlDialect.H2);

        java.util.List<String> columns = jdbi.withHandle(h -> h.createQuery("SELECT LOWER(column_name) FROM"
                + " information_schema.columns WHERE LOWER(table_name) = 'lock_events'").mapTo(String.class).list());
        assertThat(columns).doesNotContain("seq").contains("acquired_at", "acquired_expires_at");
        assertThat(changeSetsApplied(jdbi)).isEqualTo(CHANGE_SETS + ownChangeSets(SqlDialect.H2));
    }

    @Test
    void aSchemaLeftHalfMadeIsCompletedOnPostgres() {
        aSchemaLeftHalfMadeByAKilledStartIsCompleted(TestDataSources.postgres(), SqlDialect.POSTGRESQL);
    }

    private static void aSchemaLeftHalfMadeByAKilledStartIsCompleted(DataSource dataSource, SqlDialect dialect) {
        Jdbi jdbi = Jdbi.create(dataSource);
        // What the first change set's first statement leaves behind when the server dies right after it.
        jdbi.useHandle(h -> h.execute("CREATE TABLE locks (id UUID PRIMARY KEY, service VARCHAR(255) NOT NULL,"
                + " environment VARCHAR(255) DEFAULT '' NOT NULL, resource VARCHAR(255) DEFAULT '' NOT NULL,"
                + " who VARCHAR(255) NOT NULL, event_id VARCHAR(255), created_at TIMESTAMP WITH TIME ZONE NOT NULL)"));

        LockSchema.migrate(dataSource, dialect);

        JdbiLockRepository repository = JdbiLockRepository.on(jdbi, dialect);
        LockKey key = LockKey.ofService("deploy");
        AcquireOutcome first = repository.acquire(candidate(key));
        assertThat(first).isInstanceOf(AcquireOutcome.Acquired.class);
        assertThat(((AcquireOutcome.Acquired) first).lock().token()).isPositive();
        assertThatThrownBy(() -> jdbi.useHandle(h -> h.execute("INSERT INTO locks (id, service, who, created_at)"
                + " VALUES ('6f9619ff-8b86-4011-b42d-00c04fc964ff', 'deploy', 'intruder', CURRENT_TIMESTAMP)")))
                .as("the unique key is in place")
                .satisfies(e -> assertThat(e.getMessage()).containsIgnoringCase("uq_locks_key_place"));
        assertThat(changeSetsApplied(jdbi)).isEqualTo(CHANGE_SETS + ownChangeSets(dialect));
    }

    /** A database migrated by the changelog before its change sets were split keeps its locks and its records. */
    @Test
    void aDatabaseMigratedByTheFirstChangelogIsBroughtUpToDateInPlace() throws Exception {
        DataSource dataSource = TestDataSources.h2("schema-first-changelog");
        try (Connection connection = dataSource.getConnection()) {
            migrateWith("db/changelog-before-11/tracker-locks.xml", connection);
            if (!connection.getAutoCommit()) {
                connection.commit();
                connection.setAutoCommit(true);
            }
        }
        Jdbi jdbi = Jdbi.create(dataSource);
        jdbi.useHandle(h -> h.execute("INSERT INTO locks (id, service, who, created_at, token)"
                + " VALUES ('6f9619ff-8b86-4011-b42d-00c04fc964ff', 'deploy', 'ci', CURRENT_TIMESTAMP, 7)"));

        LockSchema.migrate(dataSource, SqlDialect.H2);

        long token = jdbi.withHandle(h -> h.createQuery("SELECT token FROM locks").mapTo(Long.class).one());
        assertThat(token).as("the lock and its token, untouched").isEqualTo(7);
        assertThat(changeSetsApplied(jdbi)).as("the first changelog's two, and today's").isEqualTo(2 + CHANGE_SETS + ownChangeSets(SqlDialect.H2));
    }

    @SuppressWarnings("deprecation") // the Liquibase facade, as LockSchema uses it
    private static void migrateWith(String changelog, Connection connection) throws Exception {
        Database database = DatabaseFactory.getInstance()
                .findCorrectDatabaseImplementation(new JdbcConnection(connection));
        new Liquibase(changelog, new ClassLoaderResourceAccessor(LockSchemaTest.class.getClassLoader()), database)
                .update(new Contexts(), new LabelExpression());
    }

    private static LockCandidate candidate(LockKey key) {
        return new LockCandidate(new LockId(UUID.randomUUID()), key, "ci", null, null);
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
