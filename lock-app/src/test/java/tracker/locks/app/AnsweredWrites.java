package tracker.locks.app;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import tracker.locks.testkit.LockClient;

/**
 * What a server answered to acquisitions, renewals and releases, kept across its crashes, and the check that a
 * restarted server still says the same: every lock answered "acquired" and never sent to be released is held, with
 * its token and the lease end of its last answered renewal; every lock answered "released" stays released. Requests
 * that got no answer (the server died first) may have gone either way, and are not judged.
 */
final class AnsweredWrites {

    private final Map<String, Answered> locks = new ConcurrentHashMap<>();

    void acquired(String id, long token, Instant expiresAt) {
        locks.put(id, new Answered(token, expiresAt, State.HELD));
    }

    void renewalSent(String id) {
        locks.computeIfPresent(id, (lock, answered) -> answered.state() == State.HELD
                ? answered.in(State.RENEWAL_UNANSWERED) : answered);
    }

    void renewed(String id, Instant expiresAt) {
        locks.computeIfPresent(id, (lock, answered) -> new Answered(answered.token(), expiresAt, State.HELD));
    }

    void releaseSent(String id) {
        locks.computeIfPresent(id, (lock, answered) -> answered.in(State.RELEASE_UNANSWERED));
    }

    void released(String id) {
        locks.computeIfPresent(id, (lock, answered) -> answered.in(State.RELEASED));
    }

    long acquisitions() {
        return locks.size();
    }

    long count(State state) {
        return locks.values().stream().filter(answered -> answered.state() == state).count();
    }

    /** The highest fencing token any answer carried. */
    long highestToken() {
        return locks.values().stream().mapToLong(Answered::token).max().orElse(0);
    }

    /**
     * What {@code server} contradicts of the answers, one line each: empty when it says the same. A lock it cannot
     * be asked about (no answer) is a contradiction too: the restarted server must answer.
     */
    List<String> contradictedBy(LockClient server) {
        List<String> contradictions = new ArrayList<>();
        locks.forEach((id, answered) -> {
            LockClient.LockState now = switch (answered.state()) {
                case HELD, RENEWAL_UNANSWERED, RELEASED -> server.get(id);
                case RELEASE_UNANSWERED -> null;
            };
            if (now == null) {
                return;
            }
            String problem = switch (answered.state()) {
                case HELD -> now.found() != LockClient.Found.HELD ? "answered acquired, now " + now.found()
                        : now.token() != answered.token() ? "token " + answered.token() + " is now " + now.token()
                        : !sameSecond(answered.expiresAt(), now.expiresAt())
                        ? "lease answered to end " + answered.expiresAt() + ", now ends " + now.expiresAt()
                        : null;
                case RENEWAL_UNANSWERED -> now.found() != LockClient.Found.HELD
                        ? "answered acquired (renewal unanswered), now " + now.found() : null;
                case RELEASED -> now.found() != LockClient.Found.NOT_FOUND ? "answered released, now "
                        + now.found() : null;
                case RELEASE_UNANSWERED -> null;
            };
            if (problem != null) {
                contradictions.add("lock " + id + ": " + problem);
            }
        });
        return contradictions;
    }

    private static boolean sameSecond(Instant answered, Instant now) {
        return answered == null ? now == null : answered.equals(now);
    }

    /** Where a lock stands by its answers. */
    enum State { HELD, RENEWAL_UNANSWERED, RELEASE_UNANSWERED, RELEASED }

    private record Answered(long token, Instant expiresAt, State state) {
        Answered in(State next) {
            return new Answered(token, expiresAt, next);
        }
    }
}
