package tracker.locks.persistence;

import tracker.locks.domain.model.ServicePatterns;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.ServerSocket;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.Test;
import tracker.locks.domain.model.LockId;
import tracker.locks.domain.model.LockKey;
import tracker.locks.domain.model.LockStoreUnavailableException;
import tracker.locks.domain.model.PageRequest;
import tracker.locks.domain.port.out.LockCandidate;

/** A database that cannot be reached is reported as unavailable, not as a generic failure. */
class UnreachableDatabaseTest {

    @Test
    void everyOperationReportsTheStoreUnavailable() throws IOException {
        JdbiLockRepository repository = JdbiLockRepository.on(Jdbi.create(TestDataSources.postgres(
                "jdbc:postgresql://127.0.0.1:" + closedPort() + "/tracker?connectTimeout=2")), SqlDialect.POSTGRESQL);

        assertThatThrownBy(() -> repository.findHeld(new LockId(java.util.UUID.randomUUID())))
                .isInstanceOf(LockStoreUnavailableException.class);
        assertThatThrownBy(() -> repository.release(new LockId(java.util.UUID.randomUUID())))
                .isInstanceOf(LockStoreUnavailableException.class);
        assertThatThrownBy(() -> repository.acquire(new LockCandidate(new LockId(java.util.UUID.randomUUID()),
                LockKey.ofService("deploy"), "ci", null, null)))
                .isInstanceOf(LockStoreUnavailableException.class);
        assertThatThrownBy(() -> repository.page(new PageRequest(1, 10), ServicePatterns.ALL))
                .isInstanceOf(LockStoreUnavailableException.class);
    }

    /** A port nothing listens on: bound, then closed again. */
    private static int closedPort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
