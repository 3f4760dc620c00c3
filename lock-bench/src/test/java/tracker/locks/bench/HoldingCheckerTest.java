package tracker.locks.bench;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class HoldingCheckerTest {

    private final HoldingChecker checker = new HoldingChecker(2, SoakClock.startingNow());

    @Test
    void anAcquisitionSentAfterAnotherWasAcknowledgedAndGrantedBeforeItsReleaseIsAViolation() {
        HoldingChecker.Holding first = checker.acquired(0, "id-1", "a", "i1#1 rest", System.nanoTime());
        long sent = System.nanoTime();
        checker.acquired(0, "id-2", "b", "i2#1 grpc", sent);

        assertThat(checker.violations()).isEqualTo(1);
        assertThat(checker.described()).singleElement().asString().contains("b (id-2 via i2#1 grpc)", "a (id-1");
        checker.releasing(first);
        assertThat(checker.acknowledged()).isEqualTo(2);
    }

    @Test
    void holdingsOneAfterTheOtherAreNone() {
        for (int i = 0; i < 100; i++) {
            HoldingChecker.Holding holding = checker.acquired(i % 2, "id-" + i, "c" + i, "i1#1 rest",
                    System.nanoTime());
            checker.releasing(holding);
        }

        assertThat(checker.violations()).isZero();
        assertThat(checker.acknowledged()).isEqualTo(100);
    }

    @Test
    void anOverlapThatNetworkDelayCanExplainIsNoViolation() {
        // Sent before the other holder's acknowledgement: the server may have granted it before that holding began
        // and released it meanwhile, the answer only arriving late.
        long sentEarly = System.nanoTime();
        checker.acquired(0, "id-1", "a", "i1#1 rest", System.nanoTime());
        checker.acquired(0, "id-2", "b", "i2#1 grpc", sentEarly);

        assertThat(checker.violations()).isZero();
    }

    @Test
    void otherKeysDoNotCount() {
        checker.acquired(0, "id-1", "a", "i1#1 rest", System.nanoTime());
        checker.acquired(1, "id-2", "b", "i1#1 rest", System.nanoTime());

        assertThat(checker.violations()).isZero();
    }
}
