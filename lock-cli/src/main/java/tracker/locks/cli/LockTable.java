package tracker.locks.cli;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import tracker.locks.client.LockInfo;
import tracker.locks.client.LockMode;

/**
 * {@code tracker-lock list}: key, who, since (relative), expires (relative), mode, waiters, token, id — aligned
 * columns. A key held by several (a semaphore, shared holders) has a row per holder.
 */
final class LockTable {

    private LockTable() {
    }

    static String of(List<LockInfo> locks, Instant now) {
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"SERVICE", "WHO", "SINCE", "EXPIRES", "MODE", "WAITERS", "TOKEN", "ID"});
        for (LockInfo lock : locks) {
            rows.add(new String[] {key(lock.service(), lock.environment(), lock.resource()), lock.who(),
                ago(lock.createdAt(), now) + " ago",
                lock.expiresAt() == null ? "never" : "in " + ago(now, lock.expiresAt()),
                mode(lock.mode(), lock.limit()),
                lock.waiters() == null ? "-" : lock.waiters().toString(),
                Long.toString(lock.token()), lock.id()});
        }
        return TextTable.of(rows);
    }

    /** service, service/environment, service/environment/resource (or service/resource). */
    static String key(String service, String environment, String resource) {
        return service + (environment == null ? "" : "/" + environment) + (resource == null ? "" : "/" + resource);
    }

    /** How a lock holds, or a client wants, its key: exclusive, shared, or limit N (a semaphore's). */
    static String mode(LockMode mode, int limit) {
        if (mode == LockMode.SHARED) {
            return "shared";
        }
        return limit > 1 ? "limit " + limit : "exclusive";
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
