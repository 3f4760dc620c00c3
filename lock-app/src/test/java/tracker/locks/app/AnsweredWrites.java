package tracker.locks.app;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
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
        locks.put(id, new Answered(token, expiresAt, State.HELD, 0, 0));
    }

    void renewalSent(String id) {
        locks.computeIfPresent(id, (lock, answered) -> answered.state() == State.HELD
                ? answered.renewalSent() : answered);
    }

    void renewed(String id, Instant expiresAt) {
        locks.computeIfPresent(id, (lock, answered) -> answered.renewed(expiresAt));
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

    /** One event of a lock's history as the server tells it. */
    record Event(String action, long token) {
    }

    /**
     * What the lock history ({@code history}: a lock's events, oldest first; empty when the server knows none)
     * contradicts of the answers, one line each: every answered acquisition recorded with its token, an answered
     * renewal recorded once, an answered release recorded as the lock's end, and nothing recorded that was never
     * asked (no renewal not sent, no end of a lock whose release was not sent). Unanswered requests may be recorded
     * or not.
     */
    List<String> historyContradictedBy(Function<String, List<Event>> history) {
        List<String> contradictions = new ArrayList<>();
        locks.forEach((id, answered) -> {
            List<Event> events = history.apply(id);
            String problem = historyProblem(answered, events);
            if (problem != null) {
                contradictions.add("lock " + id + ": " + problem + " in " + events);
            }
        });
        return contradictions;
    }

    /** A lock's history as {@code http}'s server tells it over REST: its events, oldest first; none when unknown. */
    static List<Event> historyOver(Http http, String id) {
        Http.Answer answer = http.get("/api/v1alpha1/lock/" + id + "/history");
        if (answer.status() == 404) {
            return List.of();
        }
        if (answer.status() != 200) {
            throw new IllegalStateException("history of " + id + " answered " + answer.status() + " " + answer.json());
        }
        List<Event> events = new ArrayList<>();
        answer.json().get("events").forEach(event -> events.add(
                new Event(event.get("action").asText(), event.get("token").asLong())));
        return events;
    }

    private static String historyProblem(Answered answered, List<Event> events) {
        if (events.isEmpty() || !events.get(0).action().equals("acquired")) {
            return "the answered acquisition is not its history's first event";
        }
        if (events.stream().anyMatch(event -> event.token() != answered.token())) {
            return "an event with another token than the answered " + answered.token();
        }
        long renewals = events.stream().filter(event -> event.action().equals("renewed")).count();
        if (renewals < answered.renewalsAnswered() || renewals > answered.renewalsSent()) {
            return renewals + " renewals recorded, " + answered.renewalsAnswered() + " answered of "
                    + answered.renewalsSent() + " sent";
        }
        if (events.stream().filter(event -> event.action().equals("acquired")).count() != 1) {
            return "acquired more than once";
        }
        List<String> ends = events.stream().map(Event::action)
                .filter(action -> !action.equals("acquired") && !action.equals("renewed")).toList();
        boolean releasedLast = ends.equals(List.of("released"))
                && events.get(events.size() - 1).action().equals("released");
        return switch (answered.state()) {
            case HELD, RENEWAL_UNANSWERED -> ends.isEmpty() ? null : "an end recorded of a lock never released";
            case RELEASED -> releasedLast ? null : "the answered release is not its history's one end, last";
            case RELEASE_UNANSWERED -> ends.isEmpty() || releasedLast ? null
                    : "an end other than the release that was sent";
        };
    }

    private static boolean sameSecond(Instant answered, Instant now) {
        return answered == null ? now == null : answered.equals(now);
    }

    /** Where a lock stands by its answers. */
    enum State { HELD, RENEWAL_UNANSWERED, RELEASE_UNANSWERED, RELEASED }

    private record Answered(long token, Instant expiresAt, State state, int renewalsSent, int renewalsAnswered) {
        Answered in(State next) {
            return new Answered(token, expiresAt, next, renewalsSent, renewalsAnswered);
        }

        Answered renewalSent() {
            return new Answered(token, expiresAt, State.RENEWAL_UNANSWERED, renewalsSent + 1, renewalsAnswered);
        }

        Answered renewed(Instant renewedUntil) {
            return new Answered(token, renewedUntil, State.HELD, renewalsSent, renewalsAnswered + 1);
        }
    }
}
