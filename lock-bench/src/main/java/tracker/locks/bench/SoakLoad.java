package tracker.locks.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import tracker.locks.bench.BenchOptions.Transport;

/**
 * The fault soak's load: {@link #CLIENTS} closed-loop {@link SoakClient}s, half REST and half gRPC, spread over the
 * instances, taking {@link #KEYS} contended keys again and again, and what they saw: the {@link HoldingChecker}, the
 * {@link GuardedCounters}, the failures by kind and how the unknown outcomes ended.
 */
final class SoakLoad implements AutoCloseable {

    static final int CLIENTS = 24;
    static final int KEYS = 6;
    /** The load's keys are the services soak-k0, soak-k1, … */
    static final String SERVICE_PREFIX = "soak-k";
    /**
     * How long after the end the clients may still retry a release or a clean-up of an unknown outcome (an instance
     * that has just recovered answers within seconds; a request gives up after 10 s).
     */
    private static final Duration FINISH_GRACE = Duration.ofSeconds(30);

    private final SoakInstances instances;
    private final HoldingChecker checker;
    private final GuardedCounters counters = new GuardedCounters(KEYS);
    private final FailureTally failures = new FailureTally();
    private final LongAdder held = new LongAdder();
    private final LongAdder unknownOutcomes = new LongAdder();
    private final LongAdder orphansReleased = new LongAdder();
    private final LongAdder releaseRetries = new LongAdder();
    private final LongAdder abandoned = new LongAdder();
    private final List<Thread> threads = new ArrayList<>();
    /** Clients ended by an exception of their own, described: a bug of the soak, never an answer of a server. */
    private final List<String> died = new java.util.concurrent.CopyOnWriteArrayList<>();
    private volatile boolean stopping;
    private volatile long giveUpAt = Long.MAX_VALUE;

    private SoakLoad(SoakInstances instances, SoakClock clock) {
        this.instances = instances;
        this.checker = new HoldingChecker(KEYS, clock);
    }

    /**
     * Starts the clients: even ones REST, odd ones gRPC, client {@code c} at home on instance {@code c % 3}, so each
     * instance has as many of either.
     */
    static SoakLoad start(SoakInstances instances, SoakClock clock) {
        SoakLoad load = new SoakLoad(instances, clock);
        for (int c = 0; c < CLIENTS; c++) {
            Transport transport = c % 2 == 0 ? Transport.REST : Transport.GRPC;
            Thread thread = new Thread(new SoakClient(c, transport, c % instances.size(), load), "soak-client-" + c);
            thread.setDaemon(true);
            thread.setUncaughtExceptionHandler((client, e) -> load.died.add(client.getName() + ": " + e));
            load.threads.add(thread);
        }
        load.threads.forEach(Thread::start);
        return load;
    }

    /** The lock service name of a key. */
    static String service(int key) {
        return SERVICE_PREFIX + key;
    }

    /**
     * Tells the clients to stop after the cycle they are in, gives them {@link #FINISH_GRACE} to finish their
     * releases and clean-ups and a request's timeout more, and returns how many are still running.
     */
    int stop() throws InterruptedException {
        if (!stopping) {
            giveUpAt = System.nanoTime() + FINISH_GRACE.toNanos();
            stopping = true;
        }
        long deadline = giveUpAt + TimeUnit.SECONDS.toNanos(15);
        int running = 0;
        for (Thread thread : threads) {
            thread.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())));
            running += thread.isAlive() ? 1 : 0;
        }
        return running;
    }

    @Override
    public void close() throws InterruptedException {
        stop();
    }

    /** Whether the clients are to stop taking keys. */
    boolean stopping() {
        return stopping;
    }

    /** Whether a client should still retry a release or a clean-up: until the grace after the end has passed. */
    boolean persisting() {
        return System.nanoTime() - giveUpAt < 0;
    }

    SoakInstances instances() {
        return instances;
    }

    HoldingChecker checker() {
        return checker;
    }

    GuardedCounters counters() {
        return counters;
    }

    FailureTally failures() {
        return failures;
    }

    /** An acquisition answered "held by another": the expected conflict of contended keys. */
    void held() {
        held.increment();
    }

    /** An acquisition without an answer: it may or may not have taken the key. */
    void unknownOutcome() {
        unknownOutcomes.increment();
    }

    /** The clean-up of an unknown outcome found the lock taken after all, and released it. */
    void orphanReleased() {
        orphansReleased.increment();
    }

    /** A release got no answer and is sent again, through another instance. */
    void releaseRetried() {
        releaseRetries.increment();
    }

    /** A release or a clean-up given up at the end: its key may still be held. */
    void abandoned() {
        abandoned.increment();
    }

    List<String> died() {
        return List.copyOf(died);
    }

    long heldAnswers() {
        return held.sum();
    }

    long unknownOutcomes() {
        return unknownOutcomes.sum();
    }

    long orphansReleased() {
        return orphansReleased.sum();
    }

    long releaseRetries() {
        return releaseRetries.sum();
    }

    long abandonedCount() {
        return abandoned.sum();
    }
}
