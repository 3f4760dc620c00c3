package tracker.locks.app;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The checker must catch a real double grant and must not flag overlaps that delays alone explain. */
class LockHistoryTest {

    private final LockHistory history = new LockHistory();

    @Test
    void handingTheKeyOnIsNoViolation() {
        history.acquired("k", "a", "c1", 0, 10);
        history.releaseSent("a", 20);
        history.acquired("k", "b", "c2", 15, 30); // sent while a held, but acknowledged after a's release was sent
        history.releaseSent("b", 40);

        assertThat(history.violations()).isEmpty();
        assertThat(history.acquisitions()).isEqualTo(2);
    }

    @Test
    void anAcquisitionEntirelyInsideAnotherHoldingIsAViolation() {
        history.acquired("k", "a", "c1", 0, 10);
        history.acquired("k", "b", "c2", 12, 18);
        history.releaseSent("a", 20);

        assertThat(history.violations()).hasSize(1).first().asString().contains("lockId=b", "lockId=a");
    }

    @Test
    void aHolderThatNeverReleasedHoldsUntilTheEnd() {
        history.acquired("k", "a", "c1", 0, 10);
        history.acquired("k", "b", "c2", 1_000_000, 1_000_010);

        assertThat(history.violations()).hasSize(1);
    }

    @Test
    void differentKeysNeverConflict() {
        history.acquired("k1", "a", "c1", 0, 10);
        history.acquired("k2", "b", "c2", 12, 18);

        assertThat(history.violations()).isEmpty();
    }

    @Test
    void onlyTheFirstReleaseCounts() {
        history.acquired("k", "a", "c1", 0, 10);
        history.releaseSent("a", 20);
        history.releaseSent("a", 50); // a retried release does not extend the holding
        history.acquired("k", "b", "c2", 25, 30);

        assertThat(history.violations()).isEmpty();
    }
}
