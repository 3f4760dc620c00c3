package tracker.locks.persistence;

import static org.assertj.core.api.Assertions.assertThat;

import javax.sql.DataSource;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.Test;

class LockSchemaTest {

    @Test
    void migratingTwiceChangesNothingAndKeepsTheLocks() {
        DataSource dataSource = TestDataSources.h2("schema-twice");
        LockSchema.migrate(dataSource);
        Jdbi jdbi = Jdbi.create(dataSource);
        jdbi.useHandle(h -> h.execute("INSERT INTO locks (id, service, who, created_at)"
                + " VALUES ('6f9619ff-8b86-4011-b42d-00c04fc964ff', 'deploy', 'ci', CURRENT_TIMESTAMP)"));

        LockSchema.migrate(dataSource);

        int changeSetsApplied = jdbi.withHandle(h -> h.createQuery("SELECT COUNT(*) FROM databasechangelog")
                .mapTo(Integer.class).one());
        String holder = jdbi.withHandle(h -> h.createQuery("SELECT who FROM locks").mapTo(String.class).one());
        assertThat(changeSetsApplied).isEqualTo(1);
        assertThat(holder).isEqualTo("ci");
    }

    @Test
    void leavesPooledConnectionsInAutoCommitMode() throws Exception {
        DataSource dataSource = TestDataSources.postgres();

        LockSchema.migrate(dataSource);

        try (var connection = dataSource.getConnection()) {
            assertThat(connection.getAutoCommit()).isTrue();
        }
    }
}
