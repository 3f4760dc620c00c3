package tracker.locks.persistence;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.ServerSocket;
import org.apache.tomcat.jdbc.pool.PoolProperties;
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
        JdbiLockRepository repository = JdbiLockRepository.on(Jdbi.create(poolOn(closedPort())), SqlDialect.POSTGRESQL);

        assertThatThrownBy(() -> repository.findHeld(new LockId(java.util.UUID.randomUUID())))
                .isInstanceOf(LockStoreUnavailableException.class);
        assertThatThrownBy(() -> repository.release(new LockId(java.util.UUID.randomUUID())))
                .isInstanceOf(LockStoreUnavailableException.class);
        assertThatThrownBy(() -> repository.acquire(new LockCandidate(new LockId(java.util.UUID.randomUUID()),
                LockKey.ofService("deploy"), "ci", null, null)))
                .isInstanceOf(LockStoreUnavailableException.class);
        assertThatThrownBy(() -> repository.page(new PageRequest(1, 10)))
                .isInstanceOf(LockStoreUnavailableException.class);
    }

    private static org.apache.tomcat.jdbc.pool.DataSource poolOn(int port) {
        PoolProperties properties = new PoolProperties();
        properties.setDriverClassName("org.postgresql.Driver");
        properties.setUrl("jdbc:postgresql://127.0.0.1:" + port + "/tracker?connectTimeout=2");
        properties.setUsername("postgres");
        properties.setInitialSize(0);
        return new org.apache.tomcat.jdbc.pool.DataSource(properties);
    }

    /** A port nothing listens on: bound, then closed again. */
    private static int closedPort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
