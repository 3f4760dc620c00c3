package tracker.locks.cli;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import tracker.locks.client.WaitingClient;

/**
 * {@code tracker-lock queue}: the clients waiting for a service's keys — key, position (1: served next), who, how
 * it wants the key, since when it waits (relative) — each key's line in the order it will be served.
 */
final class QueueTable {

    private QueueTable() {
    }

    static String of(List<WaitingClient> waiting, Instant now) {
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"SERVICE", "POSITION", "WHO", "MODE", "SINCE"});
        for (WaitingClient client : waiting) {
            rows.add(new String[] {LockTable.key(client.service(), client.environment(), client.resource()),
                Integer.toString(client.position()), client.who(), LockTable.mode(client.mode(), client.limit()),
                LockTable.ago(client.since(), now) + " ago"});
        }
        return TextTable.of(rows);
    }
}
