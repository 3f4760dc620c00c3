package tracker.locks.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import tracker.locks.client.LockInfo;
import tracker.locks.client.LockMode;
import tracker.locks.client.WaitingClient;

class LockTableTest {

    private static final Instant NOW = Instant.parse("2026-12-02T07:10:00Z");
    private static final Instant EARLIER = Instant.parse("2026-12-02T07:09:15Z");

    @Test
    void theListShowsEachHoldersModeAndHowManyWaitForItsKey() {
        List<LockInfo> locks = List.of(
                new LockInfo("id-1", "deploy", "ci-1", "production", null, EARLIER, NOW.plusSeconds(20), 7, null, 2,
                        LockMode.EXCLUSIVE, 1),
                new LockInfo("id-2", "orders-db", "reader", null, null, EARLIER, null, 8, null, 1, LockMode.SHARED, 0),
                new LockInfo("id-3", "nightly", "cron", null, null, EARLIER, null, 9, null));

        String[] lines = LockTable.of(locks, NOW).split("\n");

        assertThat(lines[0]).isEqualTo("SERVICE            WHO     SINCE    EXPIRES  MODE       WAITERS  TOKEN  ID");
        assertThat(lines[1]).isEqualTo("deploy/production  ci-1    45s ago  in 20s   limit 2    1        7      id-1");
        assertThat(lines[2]).isEqualTo("orders-db          reader  45s ago  never    shared     0        8      id-2");
        assertThat(lines[3]).as("waiters not told").isEqualTo(
                "nightly            cron    45s ago  never    exclusive  -        9      id-3");
    }

    @Test
    void theQueueShowsEachKeysLineInOrder() {
        List<WaitingClient> waiting = List.of(
                new WaitingClient("deploy", "production", null, "ci-3", null, LockMode.EXCLUSIVE, 2, EARLIER, 1),
                new WaitingClient("deploy", "production", null, "ci-4", null, LockMode.EXCLUSIVE, 2, NOW, 2),
                new WaitingClient("deploy", "staging", null, "ci-5", null, LockMode.SHARED, 1, EARLIER, 1));

        assertThat(QueueTable.of(waiting, NOW)).isEqualTo("""
                SERVICE            POSITION  WHO   MODE     SINCE
                deploy/production  1         ci-3  limit 2  45s ago
                deploy/production  2         ci-4  limit 2  0s ago
                deploy/staging     1         ci-5  shared   45s ago
                """);
    }
}
