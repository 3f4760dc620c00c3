package tracker.locks.persistence;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The shared flush of H2 writes: nobody is answered before a flush that began after its commit has finished. */
class GroupSyncTest {

    private static final Duration BOUND = Bounded.BOUND;

    private final ExecutorService writers = Executors.newCachedThreadPool();

    @AfterEach
    void stopWriters() {
        writers.shutdownNow();
    }

    @Test
    void aLoneWriteRunsAFlushOfItsOwn() {
        AtomicInteger flushes = new AtomicInteger();
        GroupSync<Object> sync = new GroupSync<>(resource -> flushes.incrementAndGet());

        sync.awaitFlushed("handle");
        sync.awaitFlushed("handle");

        assertThat(flushes).hasValue(2);
    }

    @Test
    void writesThatCommitWhileAFlushRunsShareTheNextFlush() throws Exception {
        HeldFlushes flushes = new HeldFlushes();
        Future<?> first = flushes.flushing("first");
        List<Future<?>> later = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            later.add(flushes.writer("later-" + i));
        }
        flushes.awaitWaiting(5);

        flushes.finishNext();
        first.get(BOUND.toSeconds(), TimeUnit.SECONDS);
        String runner = flushes.awaitAnyStarted();
        flushes.finishNext();

        for (Future<?> write : later) {
            write.get(BOUND.toSeconds(), TimeUnit.SECONDS);
        }
        assertThat(runner).startsWith("later-");
        assertThat(flushes.started).hasValue(2);
    }

    @Test
    void aWriteIsNotAnsweredByAFlushThatBeganBeforeItsCommit() throws Exception {
        HeldFlushes flushes = new HeldFlushes();
        Future<?> first = flushes.flushing("first");
        Future<?> second = flushes.waitingBehind("second", false);

        flushes.finishNext();
        first.get(BOUND.toSeconds(), TimeUnit.SECONDS);
        flushes.awaitStarted("second");

        assertThat(second).as("answered while its own flush still runs").isNotDone();
        flushes.finishNext();
        second.get(BOUND.toSeconds(), TimeUnit.SECONDS);
    }

    @Test
    void aFailedFlushFailsTheWriteThatRanItAndTheOthersFlushAgain() throws Exception {
        HeldFlushes flushes = new HeldFlushes();
        Future<?> first = flushes.flushing("first");
        Future<?> second = flushes.waitingBehind("second", false);

        flushes.failNext(new IllegalStateException("disk full"));
        assertThatThrownBy(() -> first.get(BOUND.toSeconds(), TimeUnit.SECONDS))
                .hasCauseInstanceOf(IllegalStateException.class).hasMessageContaining("disk full");
        flushes.awaitStarted("second");
        flushes.finishNext();

        second.get(BOUND.toSeconds(), TimeUnit.SECONDS);
        assertThat(flushes.started).hasValue(2);
    }

    @Test
    void anInterruptedWriterStillWaitsForTheDiskAndKeepsTheInterrupt() throws Exception {
        HeldFlushes flushes = new HeldFlushes();
        Future<?> first = flushes.flushing("first");
        Future<Boolean> interrupted = flushes.waitingBehind("interrupted", true);

        flushes.finishNext();
        first.get(BOUND.toSeconds(), TimeUnit.SECONDS);
        flushes.awaitStarted("interrupted");
        assertThat(interrupted).isNotDone();
        flushes.finishNext();

        assertThat(interrupted.get(BOUND.toSeconds(), TimeUnit.SECONDS)).as("interrupt kept").isTrue();
    }

    /**
     * Many writers over and over, each "committing" by taking the next number: a flush makes durable what was
     * committed when it began. Every writer must find its own commit durable when it is answered.
     */
    @Test
    void underLoadEveryAnsweredWriteIsCoveredByAFlush() throws Exception {
        AtomicLong committed = new AtomicLong();
        AtomicLong durable = new AtomicLong();
        AtomicInteger flushes = new AtomicInteger();
        GroupSync<Object> sync = new GroupSync<>(resource -> {
            long covered = committed.get();
            flushes.incrementAndGet();
            Thread.onSpinWait();
            durable.accumulateAndGet(covered, Math::max);
        });
        int threads = 16;
        int perThread = 2_000;
        List<Future<Boolean>> results = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            results.add(writers.submit(() -> {
                for (int i = 0; i < perThread; i++) {
                    long mine = committed.incrementAndGet();
                    sync.awaitFlushed("handle");
                    if (durable.get() < mine) {
                        return false;
                    }
                }
                return true;
            }));
        }
        for (Future<Boolean> result : results) {
            assertThat(result.get(60, TimeUnit.SECONDS)).as("answered before its commit was flushed").isTrue();
        }
        assertThat(flushes.get()).isBetween(1, threads * perThread);
    }

    /**
     * A group sync whose flushes each stop until the test finishes (or fails) them, one at a time, so the test
     * decides who commits while a flush runs. Each flush records which writer ran it.
     */
    private final class HeldFlushes {
        private final AtomicInteger started = new AtomicInteger();
        private final LinkedBlockingQueue<String> runners = new LinkedBlockingQueue<>();
        private final LinkedBlockingQueue<RuntimeException> outcomes = new LinkedBlockingQueue<>();
        private final List<Thread> threads = new ArrayList<>();
        private final GroupSync<Object> sync = new GroupSync<>(resource -> {
            started.incrementAndGet();
            runners.add((String) resource);
            RuntimeException outcome = take(outcomes);
            if (outcome != OK) {
                throw outcome;
            }
        });

        Future<Boolean> writer(String name) {
            return writer(name, false);
        }

        /** A writer whose flush has begun, and is held. */
        Future<Boolean> flushing(String name) throws InterruptedException {
            Future<Boolean> write = writer(name);
            awaitStarted(name);
            return write;
        }

        /** A writer that committed while the held flush runs, waiting for the next one. */
        Future<Boolean> waitingBehind(String name, boolean interrupted) throws InterruptedException, TimeoutException {
            Future<Boolean> write = writer(name, interrupted);
            awaitWaiting(1);
            return write;
        }

        /** A writer on a thread of its own, interrupted before it waits if so asked; answers its interrupt flag. */
        Future<Boolean> writer(String name, boolean interrupted) {
            CountDownLatch running = new CountDownLatch(1);
            Future<Boolean> write = writers.submit(() -> {
                synchronized (threads) {
                    threads.add(Thread.currentThread());
                }
                running.countDown();
                if (interrupted) {
                    Thread.currentThread().interrupt();
                }
                sync.awaitFlushed(name);
                return Thread.currentThread().isInterrupted();
            });
            Bounded.await(running);
            return write;
        }

        void awaitStarted(String name) throws InterruptedException {
            assertThat(runners.poll(BOUND.toMillis(), TimeUnit.MILLISECONDS)).isEqualTo(name);
        }

        String awaitAnyStarted() throws InterruptedException {
            String runner = runners.poll(BOUND.toMillis(), TimeUnit.MILLISECONDS);
            assertThat(runner).as("a flush started").isNotNull();
            return runner;
        }

        /** Returns once {@code count} writers wait on the monitor for a flush. */
        void awaitWaiting(int count) throws InterruptedException, TimeoutException {
            long deadline = System.nanoTime() + BOUND.toNanos();
            while (waiting() < count) {
                if (System.nanoTime() > deadline) {
                    throw new TimeoutException(count + " writers not waiting within " + BOUND);
                }
                Thread.sleep(5); // polling a condition with a bound, not sleeping instead of one
            }
        }

        private long waiting() {
            synchronized (threads) {
                return threads.stream().filter(t -> t.getState() == Thread.State.WAITING).count();
            }
        }

        void finishNext() {
            outcomes.add(OK);
        }

        void failNext(RuntimeException failure) {
            outcomes.add(failure);
        }
    }

    private static final RuntimeException OK = new RuntimeException("ok");

    private static <T> T take(LinkedBlockingQueue<T> queue) {
        try {
            T next = queue.poll(BOUND.toMillis(), TimeUnit.MILLISECONDS);
            if (next == null) {
                throw new AssertionError("the test did not finish the flush within " + BOUND);
            }
            return next;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

}
