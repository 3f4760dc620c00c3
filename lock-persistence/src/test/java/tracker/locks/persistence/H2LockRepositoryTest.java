package tracker.locks.persistence;

import javax.sql.DataSource;

class H2LockRepositoryTest extends JdbiLockRepositoryContract {

    @Override
    protected DataSource newDatabase() {
        return TestDataSources.h2("contract");
    }

    @Override
    protected SqlDialect dialect() {
        return SqlDialect.H2;
    }
}
