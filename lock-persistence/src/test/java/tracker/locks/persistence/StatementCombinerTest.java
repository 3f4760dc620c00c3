package tracker.locks.persistence;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class StatementCombinerTest {

    private static final Duration BOUND = Bounded.BOUND;

    private final List<List<Integer>> batches = Collections.synchronizedList(new ArrayList<>());
    private final ExecutorService callers = Executors.newCachedThreadPool();
    /** Every thread that submits to a combiner here, so a test can see which of them wait in one. */
    private final List<Thread> submitters = new CopyOnWriteArrayList<>();

    @AfterEach
    void stopCallers() {
        callers.shutdownNow();
    }

    /** A batch that answers each request with its negation, recording what went together. */
    private List<Integer> negate(List<Integer> requests) {
        batches.add(List.copyOf(requests));
        return requests.stream().map(r -> -r).toList();
    }

    @Test
    void aLoneRequestGoesAtOnceAndAlone() {
        StatementCombiner<Integer, Integer> combiner = new StatementCombiner<>(this::negate, 1, 64);

        assertThat(combiner.submit(7)).isEqualTo(-7);
        assertThat(combiner.submit(8)).isEqualTo(-8);
        assertThat(batches).containsExactly(List.of(7), List.of(8));
    }

    @Test
    void requestsThatArriveWhileTheRunnerIsBusyGoTogetherInTheNextBatch() throws Exception {
        HeldFirstRequest held = new HeldFirstRequest(64, this::negate);
        List<Future<Integer>> later = held.queue(1, 2, 3, 4, 5);

        held.letGo();

        for (int i = 1; i <= 5; i++) {
            assertThat(later.get(i - 1).get(BOUND.toSeconds(), TimeUnit.SECONDS)).isEqualTo(-i);
        }
        assertThat(batches).hasSize(2);
        assertThat(batches.get(0)).containsExactly(0);
        assertThat(batches.get(1)).containsExactlyInAnyOrder(1, 2, 3, 4, 5);
    }

    @Test
    void aBatchIsNeverLargerThanTheMaximum() throws Exception {
        HeldFirstRequest held = new HeldFirstRequest(3, this::negate);
        List<Future<Integer>> later = held.queue(1, 2, 3, 4, 5, 6, 7);

        held.letGo();

        for (Future<Integer> answer : later) {
            answer.get(BOUND.toSeconds(), TimeUnit.SECONDS);
        }
        assertThat(batches).allSatisfy(batch -> assertThat(batch).hasSizeLessThanOrEqualTo(3));
        assertThat(batches.stream().mapToInt(List::size).sum()).isEqualTo(8);
    }

    @Test
    void aFailedBatchFailsEachOfItsRequestsAndTheNextBatchRunsNormally() throws Exception {
        AtomicBoolean failNext = new AtomicBoolean(true);
        HeldFirstRequest held = new HeldFirstRequest(64, requests -> {
            if (failNext.getAndSet(false)) {
                throw new IllegalStateException("the database went away");
            }
            return negate(requests);
        });
        List<Future<Integer>> failing = held.queue(1, 2);

        held.letGo();

        for (Future<Integer> failed : failing) {
            assertThatThrownBy(() -> failed.get(BOUND.toSeconds(), TimeUnit.SECONDS))
                    .hasCauseInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("the database went away");
        }
        assertThat(held.combiner.submit(3)).isEqualTo(-3);
    }

    @Test
    void anInterruptedCallerStillGetsItsAnswerAndKeepsTheInterrupt() throws Exception {
        HeldFirstRequest held = new HeldFirstRequest(64, this::negate);
        AtomicBoolean keptInterrupt = new AtomicBoolean();
        Thread caller = new Thread(() -> {
            Thread.currentThread().interrupt();
            held.combiner.submit(1);
            keptInterrupt.set(Thread.currentThread().isInterrupted());
        });
        submitters.add(caller);
        caller.start();
        awaitQueued(held.combiner, 1);

        held.letGo();

        caller.join(BOUND.toMillis());
        assertThat(caller.isAlive()).isFalse();
        assertThat(keptInterrupt).isTrue();
        assertThat(batches).contains(List.of(1));
    }

    /**
     * A combiner with one runner whose first request, 0, is held inside its batch until {@link #letGo()}, so that
     * the requests sent meanwhile queue; every later batch goes to {@code next}.
     */
    private final class HeldFirstRequest {
        private final CountDownLatch started = new CountDownLatch(1);
        private final CountDownLatch letGo = new CountDownLatch(1);
        private final StatementCombiner<Integer, Integer> combiner;
        private final Future<Integer> first;

        HeldFirstRequest(int maxBatch, StatementCombiner.Batch<Integer, Integer> next) {
            combiner = new StatementCombiner<>(requests -> {
                if (!requests.contains(0)) {
                    return next.run(requests);
                }
                started.countDown();
                Bounded.await(letGo);
                return negate(requests);
            }, 1, maxBatch);
            first = callers.submit(() -> combiner.submit(0));
            Bounded.await(started);
        }

        /** Sends these requests, each from a thread of its own, and returns once all are queued. */
        List<Future<Integer>> queue(int... requests) throws InterruptedException {
            List<Future<Integer>> answers = new ArrayList<>();
            for (int request : requests) {
                answers.add(submitted(combiner, request));
            }
            awaitQueued(combiner, requests.length);
            return answers;
        }

        /** Lets the held batch finish; its request is answered as usual. */
        void letGo() throws Exception {
            letGo.countDown();
            assertThat(first.get(BOUND.toSeconds(), TimeUnit.SECONDS)).isZero();
        }
    }

    /** Many callers at once, over and over: each gets its own answer, none is left waiting, no batch is too big. */
    @Test
    void underLoadEveryRequestIsAnsweredWithItsOwnAnswer() throws Exception {
        StatementCombiner<Integer, Integer> combiner = new StatementCombiner<>(this::negate, 2, 8);
        int threads = 16;
        int perThread = 2_000;
        List<Future<Boolean>> results = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int base = t * perThread;
            results.add(callers.submit(() -> {
                for (int i = base; i < base + perThread; i++) {
                    if (combiner.submit(i) != -i) {
                        return false;
                    }
                }
                return true;
            }));
        }
        for (Future<Boolean> result : results) {
            assertThat(result.get(60, TimeUnit.SECONDS)).isTrue();
        }
        assertThat(batches).allSatisfy(batch -> assertThat(batch).hasSizeBetween(1, 8));
        assertThat(batches.stream().mapToInt(List::size).sum()).isEqualTo(threads * perThread);
    }

    /** Submits {@code request} from a pool thread that {@link #awaitQueued} can watch. */
    private Future<Integer> submitted(StatementCombiner<Integer, Integer> combiner, int request) {
        return callers.submit(() -> {
            submitters.add(Thread.currentThread());
            return combiner.submit(request);
        });
    }

    /** Waits until {@code count} submitters are parked in {@code combiner}: their requests wait in its queue. */
    private void awaitQueued(StatementCombiner<?, ?> combiner, int count) throws InterruptedException {
        long deadline = System.nanoTime() + BOUND.toNanos();
        while (submitters.stream().filter(t -> LockSupport.getBlocker(t) == combiner).count() < count) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError(count + " requests not queued within " + BOUND);
            }
            Thread.sleep(5); // polling a condition with a bound, not sleeping instead of one
        }
    }
}
