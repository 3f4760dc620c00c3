package tracker.locks.domain.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import tracker.locks.domain.model.Lock;
import tracker.locks.domain.model.LockPolicy;
import tracker.locks.domain.model.ServiceStoppingException;
import tracker.locks.domain.port.in.AcquireLockCommand;
import tracker.locks.domain.port.in.Caller;
import tracker.locks.domain.port.out.ReleaseFeed;
import tracker.locks.domain.testing.InMemoryLockRepository;
import tracker.locks.domain.testing.LockServices;

/**
 * When the server begins to shut down, clients waiting for a lock are answered at once ("go elsewhere") instead of
 * being cut off at the exit; nothing is left held for them, and requests that do not wait are still served.
 */
class StopWaitingTest {

    private static final Caller PRESENT = () -> false;

    private final LockService service = LockServices.on(new InMemoryLockRepository(Clock.systemUTC()),
            Clock.systemUTC(), LockPolicy.DEFAULTS, ReleaseFeed.NONE);

    @Test
    void waitingClientsAreAnsweredAtOnceAndLeaveNothingBehind() throws Exception {
        Lock holder = service.acquire(AcquireLockCommand.of("deploy", "holder"), Caller.UNOBSERVED);
        List<CompletableFuture<Lock>> waiting = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            waiting.add(service.acquireAsync(AcquireLockCommand.of("deploy", "w" + i)
                    .withWait(Duration.ofSeconds(50)), PRESENT));
        }
        assertThat(service.waiting()).isEqualTo(50);

        service.stopWaiting();

        for (CompletableFuture<Lock> answer : waiting) {
            assertThatThrownBy(() -> answer.get(5, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
                    .hasCauseInstanceOf(ServiceStoppingException.class)
                    .hasMessageContaining("shutting down");
        }
        assertThat(service.waiting()).as("nobody left in line").isZero();
        assertThat(service.get(holder.id().toString()).who()).as("the holder keeps its lock").isEqualTo("holder");

        service.release(holder.id().toString());
        assertThat(service.acquire(AcquireLockCommand.of("deploy", "after"), Caller.UNOBSERVED).who())
                .as("a request that does not wait is still served").isEqualTo("after");
    }

    @Test
    void aRequestThatWouldWaitAfterShutdownBeganIsAnsweredAtOnceButAFreeKeyIsStillTaken() throws Exception {
        service.acquire(AcquireLockCommand.of("migrate", "holder"), Caller.UNOBSERVED);
        service.stopWaiting();

        CompletableFuture<Lock> late = service.acquireAsync(AcquireLockCommand.of("migrate", "late")
                .withWait(Duration.ofSeconds(50)), PRESENT);

        assertThatThrownBy(() -> late.get(5, TimeUnit.SECONDS)).hasCauseInstanceOf(ServiceStoppingException.class);
        assertThatThrownBy(() -> service.acquire(AcquireLockCommand.of("migrate", "late-sync")
                .withWait(Duration.ofSeconds(50)), PRESENT)).isInstanceOf(ServiceStoppingException.class);
        assertThat(service.waiting()).isZero();
        assertThat(service.acquireAsync(AcquireLockCommand.of("free-key", "waits-if-needed")
                .withWait(Duration.ofSeconds(50)), PRESENT).get(5, TimeUnit.SECONDS).who())
                .isEqualTo("waits-if-needed");
    }
}
