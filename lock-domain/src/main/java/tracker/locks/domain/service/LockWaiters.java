package tracker.locks.domain.service;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import tracker.locks.domain.model.LockKey;

/**
 * The clients of this instance waiting for held keys, per key in arrival order. Only the first in line tries the
 * key when it is released, so waiters are served in the order they came.
 */
final class LockWaiters {

    private final Map<LockKey, Deque<Waiter>> lines = new HashMap<>();

    synchronized boolean anyoneWaitingFor(LockKey key) {
        return lines.containsKey(key);
    }

    /** How many clients wait, for any key. */
    synchronized int waiting() {
        return lines.values().stream().mapToInt(Deque::size).sum();
    }

    /** How many clients wait for each of {@code keys} that has a line. */
    synchronized Map<LockKey, Integer> waitingFor(Collection<LockKey> keys) {
        Map<LockKey, Integer> waiting = new HashMap<>();
        for (LockKey key : keys) {
            Deque<Waiter> line = lines.get(key);
            if (line != null) {
                waiting.put(key, line.size());
            }
        }
        return waiting;
    }

    synchronized Waiter join(LockKey key) {
        Waiter waiter = new Waiter(key);
        lines.computeIfAbsent(key, k -> new ArrayDeque<>()).addLast(waiter);
        return waiter;
    }

    synchronized boolean isFirst(Waiter waiter) {
        Deque<Waiter> line = lines.get(waiter.key);
        return line != null && line.peekFirst() == waiter;
    }

    /** Leaves the line; when the first leaves without the key, the next one gets its turn to try. */
    void leave(Waiter waiter) {
        Waiter next;
        synchronized (this) {
            Deque<Waiter> line = lines.get(waiter.key);
            if (line == null) {
                return;
            }
            boolean wasFirst = line.peekFirst() == waiter;
            line.remove(waiter);
            if (line.isEmpty()) {
                lines.remove(waiter.key);
            }
            next = wasFirst ? line.peekFirst() : null;
        }
        if (next != null) {
            next.wake();
        }
    }

    /** The key was released: the first in its line tries it now. */
    void released(LockKey key) {
        Waiter first;
        synchronized (this) {
            Deque<Waiter> line = lines.get(key);
            first = line == null ? null : line.peekFirst();
        }
        if (first != null) {
            first.wake();
        }
    }

    /** One waiting client: sleeps until woken or its time is up. */
    static final class Waiter {
        private final LockKey key;
        private final Semaphore signal = new Semaphore(0);

        private Waiter(LockKey key) {
            this.key = key;
        }

        void wake() {
            // One pending wake-up is enough: several releases before the waiter runs still mean "try once".
            if (signal.availablePermits() == 0) {
                signal.release();
            }
        }

        /** @return whether it was woken (rather than timed out) */
        boolean await(Duration atMost) throws InterruptedException {
            return signal.tryAcquire(Math.max(0, atMost.toNanos()), TimeUnit.NANOSECONDS);
        }
    }
}
