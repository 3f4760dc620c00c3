package tracker.locks.persistence;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.UUID;
import javax.sql.DataSource;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tracker.locks.domain.model.Lock;
import tracker.locks.domain.model.LockId;
import tracker.locks.domain.model.LockKey;
import tracker.locks.domain.port.out.AcquireOutcome;
import tracker.locks.domain.port.out.LockCandidate;
import tracker.locks.domain.port.out.LockRepository;

/**
 * On the embedded H2, an acquisition, renewal or release returns only once what it wrote is on the disk — forced,
 * not merely handed to the operating system — so that neither a crash of the server nor a power cut takes it back.
 */
class H2DurabilityTest {

    @TempDir
    Path directory;

    @BeforeAll
    static void trackForcedWrites() {
        UnforcedWrites.register();
    }

    @Test
    void everyWriteIsForcedToTheDiskBeforeItIsAnswered() {
        DataSource dataSource = TestDataSources.h2Url(DatabaseDurability.durableUrl(
                "jdbc:h2:unforced:" + directory.resolve("tracker") + ";DB_CLOSE_ON_EXIT=FALSE"));
        LockSchema.migrate(dataSource, SqlDialect.H2);
        LockRepository repository = JdbiLockRepository.on(Jdbi.create(dataSource), SqlDialect.H2);
        long writtenBefore = UnforcedWrites.writtenBytes();

        AcquireOutcome outcome = repository.acquire(new LockCandidate(new LockId(UUID.randomUUID()),
                LockKey.ofService("production-deployment"), "ci-1", null, Duration.ofMinutes(10)));
        assertThat(UnforcedWrites.unforcedBytes()).as("unforced bytes after an acquisition").isZero();
        Lock lock = ((AcquireOutcome.Acquired) outcome).lock();

        assertThat(repository.renew(lock.id(), Duration.ofMinutes(20))).isPresent();
        assertThat(UnforcedWrites.unforcedBytes()).as("unforced bytes after a renewal").isZero();

        assertThat(repository.release(lock.id())).isPresent();
        assertThat(UnforcedWrites.unforcedBytes()).as("unforced bytes after a release").isZero();

        assertThat(UnforcedWrites.writtenBytes()).as("bytes written by the three").isGreaterThan(writtenBefore);
    }
}
