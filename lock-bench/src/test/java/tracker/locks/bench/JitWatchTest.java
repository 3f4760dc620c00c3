package tracker.locks.bench;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class JitWatchTest {

    @Test
    void countsOnlyTheCompilerThreadsTimes() {
        String c2 = "4242 (C2 CompilerThre) S 4200 4200 17 0 -1 1077936192 3137 0 0 0 1234 56 0 0 20 0 40 0 "
                + "1000 0 0";
        String worker = "4243 (dw-42 - POST /api/v1alpha1/lock) R 4200 4200 17 0 -1 1077936192 3137 0 0 0 900 11 0 0 "
                + "20 0 40 0";

        assertThat(JitWatch.compilerTicks(c2)).isEqualTo(1234 + 56);
        assertThat(JitWatch.compilerTicks(worker)).isZero();
        assertThat(JitWatch.compilerTicks("not a stat line")).isZero();
    }

    @Test
    void readsThisProcesssOwnCompilerThreads() {
        long before = JitWatch.of(ProcessHandle.current()).compilerMicros();

        assertThat(before).as("this JVM has compiled something by now").isPositive();
    }
}
