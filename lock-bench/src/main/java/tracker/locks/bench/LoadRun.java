package tracker.locks.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.HdrHistogram.Histogram;
import tracker.locks.bench.BenchOptions.Scenario;

/**
 * One configuration: C closed-loop client threads on one {@link LoadTarget}, a warm-up, then a measured window of
 * fixed length. Each client sends a request, waits for its answer, records the latency and sends the next, so the
 * latencies are service times of a closed system (no coordinated-omission correction applies: there is no intended
 * send schedule) and any slow-down shows in the throughput.
 *
 * <p>An operation counts when it started and ended inside the measured window. Errors count from the first request
 * of the warm-up to the last of the window.
 */
final class LoadRun {

    /** How many error messages are kept for printing. */
    static final int FIRST_ERRORS = 5;
    /** How long clients may take past the window to finish the request they are in (answers have a 10 s deadline). */
    private static final Duration STRAGGLER_WAIT = Duration.ofSeconds(20);
    /** Pause after an error, so a broken server does not turn the clients into a busy loop. */
    private static final long ERROR_PAUSE_MILLIS = 10;

    private static final AtomicInteger ROUNDS = new AtomicInteger();

    private LoadRun() {
    }

    /**
     * Runs one configuration and returns what it measured.
     *
     * @param cpu read at the start and the end of the measured window
     */
    static Measurement run(String database, Scenario scenario, String transport, LoadTarget locks, int clients,
                           Duration warmup, Duration duration, CpuClock cpu) throws InterruptedException {
        // Every configuration uses keys of its own (the environment part of the key), so a lock left behind by an
        // error in one configuration cannot turn into conflicts in the next.
        String round = "r" + ROUNDS.incrementAndGet();
        Errors errors = new Errors();
        long start = System.nanoTime() + warmup.toNanos();
        long end = start + duration.toNanos();
        List<Client> loops = new ArrayList<>();
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < clients; i++) {
            Client client = new Client(i, scenario, locks, round, start, end, errors);
            loops.add(client);
            Thread thread = new Thread(client, "bench-client-" + i);
            thread.setDaemon(true);
            threads.add(thread);
        }
        System.gc(); // the generator's own garbage from the last configuration, not in this one's window
        threads.forEach(Thread::start);

        sleepUntil(start);
        CpuClock.Reading before = cpu.read();
        sleepUntil(end);
        CpuClock.Reading after = cpu.read();

        long joinDeadline = System.nanoTime() + STRAGGLER_WAIT.toNanos();
        for (int i = 0; i < threads.size(); i++) {
            Thread thread = threads.get(i);
            thread.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(joinDeadline - System.nanoTime())));
            if (thread.isAlive()) {
                errors.record("client " + i + " still waiting for an answer " + STRAGGLER_WAIT.toSeconds()
                        + " s after the end of the run");
                thread.interrupt();
            }
        }

        Histogram acquire = Measurement.newHistogram();
        Histogram release = Measurement.newHistogram();
        Histogram cycle = Measurement.newHistogram();
        long cycles = 0;
        long conflicts = 0;
        for (Client loop : loops) {
            synchronized (loop) {
                acquire.add(loop.acquire);
                release.add(loop.release);
                cycle.add(loop.cycle);
                cycles += loop.cycles;
                conflicts += loop.conflicts;
            }
        }
        return new Measurement(database, scenario, transport, clients, duration, cycles, conflicts,
                errors.count.get(), List.copyOf(errors.first), acquire, release, cycle,
                CpuClock.between(before, after));
    }

    private static void sleepUntil(long nanoTime) throws InterruptedException {
        long left;
        while ((left = nanoTime - System.nanoTime()) > 0) {
            TimeUnit.NANOSECONDS.sleep(left);
        }
    }

    /** Errors of one configuration: all counted, the first few kept. */
    static final class Errors {
        final AtomicLong count = new AtomicLong();
        final ConcurrentLinkedQueue<String> first = new ConcurrentLinkedQueue<>();

        void record(String message) {
            if (count.incrementAndGet() <= FIRST_ERRORS) {
                first.add(message);
            }
        }
    }

    /** One closed-loop client. Its counters are read by the runner after the thread ended (or under its monitor). */
    private static final class Client implements Runnable {

        private final Scenario scenario;
        private final LoadTarget locks;
        private final String service;
        private final String who;
        private final String round;
        private final long start;
        private final long end;
        private final Errors errors;

        final Histogram acquire = Measurement.newHistogram();
        final Histogram release = Measurement.newHistogram();
        final Histogram cycle = Measurement.newHistogram();
        long cycles;
        long conflicts;
        /** Bumped after a failed release, which may have left this client's key held. */
        private int generation;

        Client(int index, Scenario scenario, LoadTarget locks, String round, long start, long end, Errors errors) {
            this.scenario = scenario;
            this.locks = locks;
            this.service = scenario == Scenario.UNCONTENDED ? "bench-u-" + index : "bench-contended";
            this.who = "bench-client-" + index;
            this.round = round;
            this.start = start;
            this.end = end;
            this.errors = errors;
        }

        @Override
        public void run() {
            while (System.nanoTime() < end && !Thread.currentThread().isInterrupted()) {
                String environment = generation == 0 ? round : round + "-g" + generation;
                long t0 = System.nanoTime();
                String id;
                try {
                    id = locks.acquire(service, environment, who);
                } catch (Exception e) {
                    failed("acquire", e);
                    continue;
                }
                long t1 = System.nanoTime();
                if (id == null) {
                    if (scenario == Scenario.CONTENDED) {
                        if (t0 >= start && t1 <= end) {
                            synchronized (this) {
                                conflicts++;
                                record(acquire, t1 - t0);
                            }
                        }
                    } else {
                        errors.record("acquire: conflict on the client's own key " + service + "/" + environment);
                        generation++;
                        pause();
                    }
                    continue;
                }
                try {
                    locks.release(id);
                } catch (Exception e) {
                    failed("release", e);
                    generation++;
                    continue;
                }
                long t2 = System.nanoTime();
                if (t0 >= start && t2 <= end) {
                    synchronized (this) {
                        cycles++;
                        record(acquire, t1 - t0);
                        record(release, t2 - t1);
                        record(cycle, t2 - t0);
                    }
                }
            }
        }

        private void failed(String what, Exception e) {
            errors.record(what + ": " + e);
            pause();
        }

        private static void pause() {
            try {
                Thread.sleep(ERROR_PAUSE_MILLIS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        private static void record(Histogram histogram, long nanos) {
            histogram.recordValue(Math.max(1, Math.min(Measurement.HIGHEST_MICROS, nanos / 1000)));
        }
    }
}
