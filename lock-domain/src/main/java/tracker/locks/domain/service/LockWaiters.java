package tracker.locks.domain.service;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import tracker.locks.domain.model.LockKey;
import tracker.locks.domain.model.LockMode;
import tracker.locks.domain.model.QueueFilter;
import tracker.locks.domain.model.WaitingClient;
import tracker.locks.domain.port.out.WaitingLine;

/**
 * The clients of this instance waiting for held keys, per key in arrival order. Only the first in line tries the
 * key when it is released, so waiters are served in the order they came; when it leaves (with the key or without),
 * the next one tries at once, so a semaphore's or shared key's free places fill one after another.
 */
final class LockWaiters implements WaitingLine {

    private final Map<LockKey, Deque<Waiter>> lines = new HashMap<>();

    @Override
    public synchronized boolean anyoneWaitingFor(LockKey key) {
        return lines.containsKey(key);
    }

    /** Whether an exclusive request waits for {@code key}: shared newcomers then stay out (writers not starved). */
    @Override
    public synchronized boolean exclusiveWaitingFor(LockKey key) {
        Deque<Waiter> line = lines.get(key);
        return line != null && line.stream().anyMatch(w -> w.client.rule().mode() == LockMode.EXCLUSIVE);
    }

    /** How many clients wait, for any key. */
    @Override
    public synchronized int waiting() {
        return lines.values().stream().mapToInt(Deque::size).sum();
    }

    /** How many clients wait for each of {@code keys} that has a line. */
    @Override
    public synchronized Map<LockKey, Integer> waitingFor(Collection<LockKey> keys) {
        Map<LockKey, Integer> waiting = new HashMap<>();
        for (LockKey key : keys) {
            Deque<Waiter> line = lines.get(key);
            if (line != null) {
                waiting.put(key, line.size());
            }
        }
        return waiting;
    }

    /** The clients waiting in the lines {@code filter} matches: by key, each line in arrival order. */
    @Override
    public synchronized List<WaitingClient> queue(QueueFilter filter) {
        List<WaitingClient> waiting = new ArrayList<>();
        lines.entrySet().stream()
                .filter(line -> filter.matches(line.getKey()))
                .sorted(Map.Entry.comparingByKey(Comparator.comparing(LockKey::service)
                        .thenComparing(LockKey::environment).thenComparing(LockKey::resource)))
                .forEach(line -> line.getValue().forEach(waiter -> waiting.add(waiter.client)));
        return waiting;
    }

    @Override
    public synchronized Waiter join(WaitingClient client, Runnable wake) {
        Waiter waiter = new Waiter(client, wake);
        lines.computeIfAbsent(client.key(), k -> new ArrayDeque<>()).addLast(waiter);
        return waiter;
    }

    @Override
    public synchronized boolean isFirst(Place place) {
        Waiter waiter = (Waiter) place;
        Deque<Waiter> line = lines.get(waiter.client.key());
        return line != null && line.peekFirst() == waiter;
    }

    /** Leaves the line; when the first leaves (with the key or without), the next one gets its turn to try. */
    @Override
    public void leave(Place place) {
        Waiter waiter = (Waiter) place;
        Waiter next;
        synchronized (this) {
            LockKey key = waiter.client.key();
            Deque<Waiter> line = lines.get(key);
            if (line == null) {
                return;
            }
            boolean wasFirst = line.peekFirst() == waiter;
            line.remove(waiter);
            if (line.isEmpty()) {
                lines.remove(key);
            }
            next = wasFirst ? line.peekFirst() : null;
        }
        if (next != null) {
            next.wake();
        }
    }

    /** The key was released: the first in its line tries it now. */
    @Override
    public void released(LockKey key) {
        Waiter first;
        synchronized (this) {
            Deque<Waiter> line = lines.get(key);
            first = line == null ? null : line.peekFirst();
        }
        if (first != null) {
            first.wake();
        }
    }

    /** In one instance's own line, first here is first. */
    @Override
    public boolean firstHere(Place place) {
        return isFirst(place);
    }

    /** One waiting client and how to wake it. */
    static final class Waiter implements Place {
        private final WaitingClient client;
        private final Runnable wake;

        private Waiter(WaitingClient client, Runnable wake) {
            this.client = client;
            this.wake = wake;
        }

        void wake() {
            wake.run();
        }
    }
}
