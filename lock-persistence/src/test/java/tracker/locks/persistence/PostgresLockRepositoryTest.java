package tracker.locks.persistence;

import javax.sql.DataSource;

class PostgresLockRepositoryTest extends JdbiLockRepositoryContract {

    @Override
    protected DataSource newDatabase() {
        return TestDataSources.postgres();
    }

    @Override
    protected SqlDialect dialect() {
        return SqlDialect.POSTGRESQL;
    }
}
