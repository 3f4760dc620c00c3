package tracker.locks.persistence;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/** How long the concurrency tests wait for anything before they fail: no test waits without a bound. */
final class Bounded {

    static final Duration BOUND = Duration.ofSeconds(10);

    private Bounded() {
    }

    /** Waits for {@code latch}, failing the test when it does not open within {@link #BOUND}. */
    static void await(CountDownLatch latch) {
        try {
            if (!latch.await(BOUND.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new AssertionError("not reached within " + BOUND);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }
}
