package tracker.locks.domain;

import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Objects;

/** The lock use cases over a {@link LockRepository}; the one implementation both transports call. */
public final class LockService implements LockUseCases {

    /**
     * A conflict whose holder vanishes before it can be read means the key was released meanwhile; trying again
     * either takes it or sees the next holder. Only a key released and re-taken this many times in a row during
     * one request runs out of attempts.
     */
    private static final int MAX_ATTEMPTS = 100;

    private final LockRepository repository;
    private final LockIdGenerator ids;
    private final Clock clock;

    public LockService(LockRepository repository, LockIdGenerator ids, Clock clock) {
        this.repository = Objects.requireNonNull(repository, "repository");
        this.ids = Objects.requireNonNull(ids, "ids");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    @Override
    public Lock acquire(AcquireLockCommand command) {
        for (int attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
            Lock candidate = new Lock(ids.next(), command.key(), command.who(), now(), command.eventId());
            InsertOutcome outcome = repository.insertIfKeyFree(candidate);
            if (outcome instanceof InsertOutcome.Inserted inserted) {
                return inserted.lock();
            }
            if (outcome instanceof InsertOutcome.KeyHeld held) {
                throw new LockHeldException(held.holder());
            }
        }
        throw new LockStoreUnavailableException(
                "the key changed hands " + MAX_ATTEMPTS + " times during one request; try again", null);
    }

    @Override
    public Lock get(String id) {
        return LockId.parse(id)
                .flatMap(repository::findById)
                .orElseThrow(() -> new LockNotFoundException(id));
    }

    @Override
    public void release(String id) {
        boolean released = LockId.parse(id).map(repository::deleteById).orElse(false);
        if (!released) {
            throw new LockNotFoundException(id);
        }
    }

    @Override
    public LockPage list(PageRequest page) {
        return repository.page(Objects.requireNonNull(page, "page"));
    }

    // Microseconds: the finest precision PostgreSQL keeps, so a stored lock reads back exactly as created.
    private Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MICROS);
    }
}
