package tracker.locks.bench;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class GuardedCountersTest {

    @Test
    void countersOfOneHolderAtATimeAddUp() {
        GuardedCounters counters = new GuardedCounters(3);
        for (int i = 0; i < 6; i++) {
            counters.touch(i % 3);
        }

        assertThat(counters.total()).isEqualTo(6);
        assertThat(counters.certainlyLost()).isZero();
    }
}
