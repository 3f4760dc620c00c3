package tracker.locks.domain;

/** The fake honours the same contract as the database adapters, so domain tests on it mean something. */
class InMemoryLockRepositoryTest extends LockRepositoryContract {

    @Override
    protected LockRepository emptyRepository() {
        return new InMemoryLockRepository();
    }
}
