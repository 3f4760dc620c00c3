package tracker.locks.domain.port.out;

import tracker.locks.domain.testing.InMemoryLockRepository;
import tracker.locks.domain.testing.LockRepositoryContract;

/** The fake honours the same contract as the database adapters, so domain tests on it mean something. */
class InMemoryLockRepositoryTest extends LockRepositoryContract {

    @Override
    protected LockRepository emptyRepository() {
        return new InMemoryLockRepository();
    }
}
