package tracker.locks.domain.service;

import java.time.Duration;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Where waiting acquisitions wait without a thread each: one timer thread wakes them when their next look is due,
 * a few worker threads run the looks (which call the database), and the timer also watches the callers, so a client
 * that gave up stops waiting soon after. Ten thousand waiting clients cost these threads, not ten thousand.
 */
final class WaitingRoom {

    /** How often the callers are looked at. */
    static final Duration CALLER_CHECK = Duration.ofMillis(100);

    /**
     * At most this many callers are looked at per {@link #CALLER_CHECK}: a look at a REST caller reads its socket, so
     * with more waiters than this each is looked at less often (10,000 waiters: each once a second).
     */
    static final int CALLERS_PER_CHECK = 1_000;

    private static final int WORKERS = 16;

    private final ScheduledThreadPoolExecutor timer;
    private final ExecutorService workers;
    private final ConcurrentLinkedQueue<WaitingAcquisition> watched = new ConcurrentLinkedQueue<>();

    /**
     * One room per process, shared by every service in it (a test may make hundreds of services; a server makes
     * one): its threads are daemons, started once, and cost nothing while nobody waits.
     */
    private static final class Shared {
        static final WaitingRoom ROOM = new WaitingRoom();
    }

    static WaitingRoom shared() {
        return Shared.ROOM;
    }

    private WaitingRoom() {
        timer = new ScheduledThreadPoolExecutor(1, daemons("lock-wait-timer"));
        timer.setRemoveOnCancelPolicy(true); // a waiter woken early drops its timer instead of leaving it queued
        workers = Executors.newFixedThreadPool(WORKERS, daemons("lock-wait-worker"));
        long every = CALLER_CHECK.toMillis();
        timer.scheduleWithFixedDelay(this::watchCallers, every, every, TimeUnit.MILLISECONDS);
    }

    /** Runs {@code look} on a worker. */
    void run(Runnable look) {
        workers.execute(look);
    }

    /** Runs {@code look} on a worker after {@code delay}. */
    ScheduledFuture<?> after(Duration delay, Runnable look) {
        return timer.schedule(() -> workers.execute(look), Math.max(0, delay.toNanos()), TimeUnit.NANOSECONDS);
    }

    /** Watches the caller of {@code acquisition} until it is answered. */
    void watch(WaitingAcquisition acquisition) {
        watched.add(acquisition);
    }

    /** Round robin over the waiting callers, at most {@link #CALLERS_PER_CHECK} per round. */
    private void watchCallers() {
        int looks = Math.min(CALLERS_PER_CHECK, watched.size());
        for (int i = 0; i < looks; i++) {
            WaitingAcquisition next = watched.poll();
            if (next == null) {
                return;
            }
            if (next.answered()) {
                continue;
            }
            if (next.callerGone()) {
                next.lookAgain();
            } else {
                watched.add(next);
            }
        }
    }

    private static ThreadFactory daemons(String name) {
        AtomicInteger count = new AtomicInteger();
        return runnable -> {
            Thread thread = new Thread(runnable, name + "-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }
}
