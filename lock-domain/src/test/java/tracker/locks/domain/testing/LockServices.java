package tracker.locks.domain.testing;

import java.time.Clock;
import tracker.locks.domain.model.LockPolicy;
import tracker.locks.domain.port.out.LockIdGenerator;
import tracker.locks.domain.port.out.LockRepository;
import tracker.locks.domain.port.out.ReleaseFeed;
import tracker.locks.domain.service.LockService;

/** Lock services for tests: random ids, one instance (no release feed) unless given one, the given store and clock. */
public final class LockServices {

    private LockServices() {
    }

    /** A service on an in-memory store of its own, judging leases by the system clock, with the default policy. */
    public static LockService inMemory() {
        return inMemory(Clock.systemUTC());
    }

    /** A service on an in-memory store of its own, judging leases by {@code clock}, with the default policy. */
    public static LockService inMemory(Clock clock) {
        return on(new InMemoryLockRepository(clock), clock);
    }

    public static LockService on(LockRepository repository, Clock clock) {
        return on(repository, clock, LockPolicy.DEFAULTS);
    }

    public static LockService on(LockRepository repository, Clock clock, LockPolicy policy) {
        return on(repository, clock, policy, ReleaseFeed.NONE);
    }

    /** A service that also hears of releases made elsewhere from {@code releases}. */
    public static LockService on(LockRepository repository, Clock clock, LockPolicy policy, ReleaseFeed releases) {
        return new LockService(repository, LockIdGenerator.random(), policy, clock, releases);
    }
}
