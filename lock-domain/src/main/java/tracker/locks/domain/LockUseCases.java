package tracker.locks.domain;

/** Everything a transport offers: the lock use cases behind one port. */
public interface LockUseCases extends AcquireLockUseCase, GetLockUseCase, ReleaseLockUseCase, RenewLockUseCase,
        ListLocksUseCase {
}
