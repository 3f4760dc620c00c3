package tracker.locks.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The crash test's history check judges what it must: it finds each kind of history that contradicts the answers. */
class AnsweredWritesTest {

    private static final Instant LEASE = Instant.parse("2026-12-02T10:00:00Z");

    private final AnsweredWrites answers = new AnsweredWrites();

    @Test
    void aHistoryThatSaysWhatWasAnsweredPasses() {
        answers.acquired("released", 1, LEASE);
        answers.renewalSent("released");
        answers.renewed("released", LEASE.plusSeconds(60));
        answers.releaseSent("released");
        answers.released("released");
        answers.acquired("held", 2, LEASE);
        answers.acquired("release-unanswered", 3, LEASE);
        answers.releaseSent("release-unanswered");

        assertThat(answers.historyContradictedBy(Map.of(
                "released", List.of(event("acquired", 1), event("renewed", 1), event("released", 1)),
                "held", List.of(event("acquired", 2)),
                "release-unanswered", List.of(event("acquired", 3)))::get)).isEmpty();
    }

    @Test
    void aMissingAcquisitionRenewalOrReleaseIsFound() {
        answers.acquired("a", 1, LEASE);
        answers.acquired("b", 2, LEASE);
        answers.renewalSent("b");
        answers.renewed("b", LEASE.plusSeconds(60));
        answers.acquired("c", 3, LEASE);
        answers.releaseSent("c");
        answers.released("c");

        assertThat(answers.historyContradictedBy(Map.of(
                "a", List.<AnsweredWrites.Event>of(),
                "b", List.of(event("acquired", 2)),
                "c", List.of(event("acquired", 3)))::get)).hasSize(3);
    }

    @Test
    void anEventNobodyAskedForOrAnotherTokenIsFound() {
        answers.acquired("held", 1, LEASE);
        answers.acquired("other-token", 2, LEASE);
        answers.acquired("never-renewed", 3, LEASE);

        assertThat(answers.historyContradictedBy(Map.of(
                "held", List.of(event("acquired", 1), event("expired", 1)),
                "other-token", List.of(event("acquired", 7)),
                "never-renewed", List.of(event("acquired", 3), event("renewed", 3)))::get))
                .hasSize(3).anyMatch(line -> line.contains("never released"));
    }

    private static AnsweredWrites.Event event(String action, long token) {
        return new AnsweredWrites.Event(action, token);
    }
}
