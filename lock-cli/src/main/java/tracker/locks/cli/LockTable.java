package tracker.locks.cli;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import tracker.locks.client.LockInfo;

/** {@code tracker-lock list}: service, who, since (relative), expires (relative), token — aligned columns. */
final class LockTable {

    private LockTable() {
    }

    static String of(List<LockInfo> locks, Instant now) {
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"SERVICE", "WHO", "SINCE", "EXPIRES", "TOKEN", "ID"});
        for (LockInfo lock : locks) {
            String key = lock.service() + (lock.environment() == null ? "" : "/" + lock.environment())
                    + (lock.resource() == null ? "" : "/" + lock.resource());
            rows.add(new String[] {key, lock.who(), ago(lock.createdAt(), now) + " ago",
                lock.expiresAt() == null ? "never" : "in " + ago(now, lock.expiresAt()),
                Long.toString(lock.token()), lock.id()});
        }
        int[] widths = new int[rows.get(0).length];
        for (String[] row : rows) {
            for (int i = 0; i < row.length; i++) {
                widths[i] = Math.max(widths[i], row[i].length());
            }
        }
        StringBuilder table = new StringBuilder();
        for (String[] row : rows) {
            for (int i = 0; i < row.length; i++) {
                table.append(i == row.length - 1 ? row[i] : String.format("%-" + (widths[i] + 2) + "s", row[i]));
            }
            table.append('\n');
        }
        return table.toString();
    }

    /** 45s, 12m, 3h 5m, 2d 4h. */
    static String ago(Instant from, Instant to) {
        long seconds = Math.max(0, Duration.between(from, to).toSeconds());
        if (seconds < 60) {
            return seconds + "s";
        }
        if (seconds < 3600) {
            return seconds / 60 + "m";
        }
        if (seconds < 86_400) {
            return seconds / 3600 + "h " + seconds % 3600 / 60 + "m";
        }
        return seconds / 86_400 + "d " + seconds % 86_400 / 3600 + "h";
    }
}
