package tracker.locks.persistence;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.locks.LockSupport;

/**
 * Group commit for one kind of statement: requests that arrive while the database is busy with earlier ones are sent
 * together, as one statement, by whichever caller gets to run next.
 *
 * <p>Why: on a loaded server most of a lock statement's cost is per statement — a network round trip, planning, a
 * commit — not per row, so under load many clients' statements in one cost little more than one. A lone request is
 * not delayed: it finds a free runner slot and goes at once, alone.
 *
 * <p>How: a caller queues its request, then tries to become one of at most {@code runners} callers that take
 * requests off the queue and run them, up to {@code maxBatch} at a time. A runner keeps going until its own request
 * is answered, then hands over: it wakes the caller at the head of the queue, which becomes a runner in turn. Every
 * caller waits for its own answer, so a request is never abandoned half way: the statement it is in runs to its
 * end (it is bounded by the database's statement timeout) whether its caller is interrupted or not.
 *
 * @param <Q> a request
 * @param <A> its answer
 */
final class StatementCombiner<Q, A> {

    /** Runs requests as one batch. */
    @FunctionalInterface
    interface Batch<Q, A> {

        /** @return one answer per request, in the requests' order */
        List<A> run(List<Q> requests);
    }

    private final Batch<Q, A> batch;
    private final int maxBatch;
    private final Semaphore runners;
    private final ConcurrentLinkedQueue<Pending<Q, A>> queue = new ConcurrentLinkedQueue<>();

    StatementCombiner(Batch<Q, A> batch, int runners, int maxBatch) {
        if (runners < 1 || maxBatch < 1) {
            throw new IllegalArgumentException("runners and maxBatch must be positive");
        }
        this.batch = Objects.requireNonNull(batch, "batch");
        this.maxBatch = maxBatch;
        this.runners = new Semaphore(runners);
    }

    /** Runs {@code request}, probably together with others, and returns its answer or throws its failure. */
    A submit(Q request) {
        Pending<Q, A> mine = new Pending<>(request, Thread.currentThread());
        queue.add(mine);
        boolean interrupted = false;
        while (!mine.isDone()) {
            if (runners.tryAcquire()) {
                try {
                    runUntilAnswered(mine);
                } finally {
                    runners.release();
                    wakeHead();
                }
            } else {
                // Whoever holds a runner slot wakes the head of the queue when it lets go, so a queued request is
                // always picked up; an answer wakes its caller too.
                LockSupport.park(this);
                interrupted |= Thread.interrupted();
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        return mine.answer();
    }


    private void runUntilAnswered(Pending<Q, A> mine) {
        while (!mine.isDone()) {
            List<Pending<Q, A>> taken = take();
            if (taken.isEmpty()) {
                return; // mine is in another runner's batch
            }
            run(taken);
        }
    }

    private List<Pending<Q, A>> take() {
        List<Pending<Q, A>> taken = new ArrayList<>();
        Pending<Q, A> next;
        while (taken.size() < maxBatch && (next = queue.poll()) != null) {
            taken.add(next);
        }
        return taken;
    }

    private void run(List<Pending<Q, A>> taken) {
        List<A> answers;
        try {
            answers = batch.run(taken.stream().map(Pending::request).toList());
            if (answers.size() != taken.size()) {
                throw new IllegalStateException(answers.size() + " answers for " + taken.size() + " requests");
            }
        } catch (RuntimeException | Error e) {
            taken.forEach(pending -> pending.fail(e));
            return;
        }
        for (int i = 0; i < taken.size(); i++) {
            taken.get(i).answer(answers.get(i));
        }
    }

    private void wakeHead() {
        Pending<Q, A> head = queue.peek();
        if (head != null) {
            LockSupport.unpark(head.caller);
        }
    }

    /** A queued request and, once run, its answer or failure; written by a runner, read by its caller. */
    private static final class Pending<Q, A> {
        private final Q request;
        private final Thread caller;
        private A answer;
        private Throwable failure;
        private volatile boolean done;

        Pending(Q request, Thread caller) {
            this.request = request;
            this.caller = caller;
        }

        Q request() {
            return request;
        }

        boolean isDone() {
            return done;
        }

        void answer(A value) {
            answer = value;
            done = true;
            LockSupport.unpark(caller);
        }

        void fail(Throwable e) {
            failure = e;
            done = true;
            LockSupport.unpark(caller);
        }

        A answer() {
            if (failure instanceof RuntimeException e) {
                throw e;
            }
            if (failure instanceof Error e) {
                throw e;
            }
            return answer;
        }
    }
}
