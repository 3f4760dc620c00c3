package tracker.locks.persistence;

import javax.sql.DataSource;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.TestInstance;
import tracker.locks.domain.port.out.LockRepository;
import tracker.locks.domain.testing.LockRepositoryContract;

/** The repository contract on a real database: migrated once per class, emptied before every test. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class JdbiLockRepositoryContract extends LockRepositoryContract {

    private Jdbi jdbi;

    /** A data source on an empty database of the kind under test. */
    protected abstract DataSource newDatabase();

    protected abstract SqlDialect dialect();

    @Override
    protected LockRepository emptyRepository() {
        if (jdbi == null) {
            DataSource dataSource = newDatabase();
            LockSchema.migrate(dataSource, dialect());
            jdbi = Jdbi.create(dataSource);
        }
        jdbi.useHandle(handle -> handle.execute("DELETE FROM locks"));
        return JdbiLockRepository.on(jdbi, dialect());
    }
}
