package tracker.locks.persistence;

import java.time.ZoneOffset;
import java.util.Optional;
import java.util.function.Supplier;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.JdbiException;
import org.jdbi.v3.sqlobject.SqlObjectPlugin;
import tracker.locks.domain.InsertOutcome;
import tracker.locks.domain.Lock;
import tracker.locks.domain.LockId;
import tracker.locks.domain.LockPage;
import tracker.locks.domain.LockRepository;
import tracker.locks.domain.LockStoreUnavailableException;
import tracker.locks.domain.PageRequest;

/** The {@link LockRepository} on a relational database through JDBI; the same SQL runs on H2 and PostgreSQL. */
public final class JdbiLockRepository implements LockRepository {

    private final Jdbi jdbi;
    private final LockDao dao;

    public JdbiLockRepository(Jdbi jdbi) {
        this.jdbi = jdbi.installPlugin(new SqlObjectPlugin());
        this.dao = this.jdbi.onDemand(LockDao.class);
    }

    @Override
    public InsertOutcome insertIfKeyFree(Lock candidate) {
        return translated(() -> {
            try {
                dao.insert(candidate.id().value(), candidate.key().service(), candidate.key().environment(),
                        candidate.key().resource(), candidate.who(), candidate.eventId(),
                        candidate.createdAt().atOffset(ZoneOffset.UTC));
                return new InsertOutcome.Inserted(candidate);
            } catch (JdbiException e) {
                if (!SqlFailures.isUniqueViolation(e)) {
                    throw e;
                }
            }
            // The insert lost to the unique key: report who holds it. The holder may be gone by now, which the
            // caller treats as "try again".
            return dao.findByKey(candidate.key().service(), candidate.key().environment(), candidate.key().resource())
                    .<InsertOutcome>map(InsertOutcome.KeyHeld::new)
                    .orElseGet(InsertOutcome.HolderVanished::new);
        });
    }

    @Override
    public Optional<Lock> findById(LockId id) {
        return translated(() -> dao.findById(id.value()));
    }

    @Override
    public boolean deleteById(LockId id) {
        return translated(() -> dao.deleteById(id.value()) > 0);
    }

    @Override
    public LockPage page(PageRequest request) {
        return translated(() -> jdbi.withExtension(LockDao.class, onOneConnection -> new LockPage(
                onOneConnection.page(request.perPage(), request.offset()), onOneConnection.count(), request)));
    }

    /** Database failures that mean "not reachable" become the domain's {@link LockStoreUnavailableException}. */
    private static <T> T translated(Supplier<T> work) {
        try {
            return work.get();
        } catch (JdbiException e) {
            if (SqlFailures.isUnavailable(e)) {
                throw new LockStoreUnavailableException("the lock database is unavailable", e);
            }
            throw e;
        }
    }
}
