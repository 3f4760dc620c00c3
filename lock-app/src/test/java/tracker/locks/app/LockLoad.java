package tracker.locks.app;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.function.Function;
import tracker.locks.testkit.LockClient;
import tracker.locks.testkit.ServerProcess;

/**
 * Concurrent clients that repeatedly take and release a few keys through several instances for a bounded time,
 * recording a {@link LockHistory} and guarding a counter per key that only a true holder may touch: each holder
 * reads it, pauses, and writes it back plus one, so two holders at once would lose an update.
 */
final class LockLoad implements AutoCloseable {

    private static final Duration CRITICAL_SECTION = Duration.ofMillis(1);
    private static final Duration RECOVERY_PAUSE = Duration.ofMillis(300);

    private final List<String> keys;
    /** How many may hold each key: 1, the plain lock, guarded by the counter; more, a semaphore. */
    private final int limit;
    /** A semaphore's holders per key as the clients count them: up after the grant, down before the release. */
    private final java.util.concurrent.atomic.AtomicIntegerArray inUse;
    private final java.util.concurrent.atomic.AtomicInteger mostInUse = new java.util.concurrent.atomic.AtomicInteger();
    private final List<List<LockClient>> clientsByTransport;
    private final int clients;
    private final LockHistory history = new LockHistory();
    private final AtomicLongArray counters;
    private final AtomicLong conflicts = new AtomicLong();
    private final AtomicLong unknownOutcomes = new AtomicLong();
    /** Per instance: the failures its clients saw, and whether it was killed on purpose. */
    private final AtomicLongArray failuresByInstance;
    private final AtomicReferenceArray<Boolean> killed;
    private final Map<Integer, AtomicLong> acquisitionsByInstanceAfterKill = new ConcurrentHashMap<>();
    private volatile boolean anyKilled;

    /**
     * @param instances the instances to spread clients over
     * @param transports how to reach an instance; clients alternate between them (REST, gRPC, …)
     */
    LockLoad(List<ServerProcess> instances, List<Function<ServerProcess, LockClient>> transports, int clients,
             List<String> keys) {
        this(instances, transports, clients, keys, 1);
    }

    /** @param limit every key a semaphore of this many places (1: the plain lock) */
    LockLoad(List<ServerProcess> instances, List<Function<ServerProcess, LockClient>> transports, int clients,
             List<String> keys, int limit) {
        this.limit = limit;
        this.inUse = new java.util.concurrent.atomic.AtomicIntegerArray(keys.size());
        this.keys = List.copyOf(keys);
        this.clients = clients;
        this.counters = new AtomicLongArray(keys.size());
        this.failuresByInstance = new AtomicLongArray(instances.size());
        this.killed = new AtomicReferenceArray<>(instances.size());
        this.clientsByTransport = new ArrayList<>();
        for (int i = 0; i < instances.size(); i++) {
            killed.set(i, false);
        }
        for (Function<ServerProcess, LockClient> transport : transports) {
            clientsByTransport.add(instances.stream().map(transport).toList());
        }
    }

    /** Marks an instance as killed on purpose: its clients' failures from now on are expected. */
    void killed(int instance) {
        killed.set(instance, true);
        anyKilled = true;
    }

    /** Runs every client until {@code duration} has passed, then waits for them to finish their cycle. */
    void run(Duration duration) throws InterruptedException {
        long deadline = System.nanoTime() + duration.toNanos();
        CountDownLatch done = new CountDownLatch(clients);
        List<Thread> threads = new ArrayList<>();
        for (int c = 0; c < clients; c++) {
            int client = c;
            Thread thread = new Thread(() -> {
                try {
                    runClient(client, deadline);
                } finally {
                    done.countDown();
                }
            }, "load-client-" + c);
            threads.add(thread);
            thread.start();
        }
        if (!done.await(duration.toSeconds() + 120, TimeUnit.SECONDS)) {
            threads.forEach(Thread::interrupt);
            throw new IllegalStateException("load clients did not finish");
        }
    }

    private void runClient(int client, long deadline) {
        List<LockClient> instances = clientsByTransport.get(client % clientsByTransport.size());
        int instance = client % instances.size();
        ThreadLocalRandom random = ThreadLocalRandom.current();
        for (int attempt = 0; System.nanoTime() < deadline; attempt++) {
            int key = random.nextInt(keys.size());
            String who = "client-" + client + "-attempt-" + attempt;
            long sent = System.nanoTime();
            LockClient.AcquireAnswer answer = limit == 1 ? instances.get(instance).acquire(keys.get(key), who)
                    : instances.get(instance).acquire(keys.get(key), who, limit);
            long ack = System.nanoTime();
            switch (answer.outcome()) {
                case ACQUIRED -> {
                    history.acquired(keys.get(key), answer.id(), who, sent, ack);
                    if (anyKilled) {
                        acquisitionsByInstanceAfterKill.computeIfAbsent(instance, i -> new AtomicLong())
                                .incrementAndGet();
                    }
                    if (limit == 1) {
                        touchCounter(key);
                    } else {
                        holdPlace(key);
                    }
                    history.releaseSent(answer.id(), System.nanoTime());
                    instance = release(instances, instance, answer.id());
                }
                case HELD -> {
                    conflicts.incrementAndGet();
                    pause(Duration.ofMillis(random.nextInt(1, 6)));
                }
                case FAILED -> {
                    // The request may or may not have taken the lock: move to another instance, look for a lock
                    // held under this attempt's name, and release it so the key does not stay taken forever.
                    unknownOutcomes.incrementAndGet();
                    instance = failedOn(instances, instance);
                    pause(RECOVERY_PAUSE);
                    Optional<String> orphan = instances.get(instance).findHeldBy(who);
                    if (orphan.isPresent()) {
                        instance = release(instances, instance, orphan.get());
                    }
                }
            }
        }
    }

    /** Releases through the given instance, moving on to the next one while instances fail. */
    private int release(List<LockClient> instances, int instance, String id) {
        for (int tries = 0; tries < 3 * instances.size(); tries++) {
            LockClient.ReleaseAnswer answer = instances.get(instance).release(id);
            if (answer != LockClient.ReleaseAnswer.FAILED) {
                return instance;
            }
            instance = failedOn(instances, instance);
        }
        throw new IllegalStateException("could not release " + id + " through any instance");
    }

    private int failedOn(List<LockClient> instances, int instance) {
        failuresByInstance.incrementAndGet(instance);
        return (instance + 1) % instances.size();
    }

    /** The guarded work: a read-pause-write that loses updates whenever two clients hold one key at once. */
    private void touchCounter(int key) {
        long seen = counters.get(key);
        pause(CRITICAL_SECTION);
        counters.set(key, seen + 1);
    }

    /** A semaphore's holder: counted from its grant until just before it releases, never more than the limit. */
    private void holdPlace(int key) {
        mostInUse.accumulateAndGet(inUse.incrementAndGet(key), Math::max);
        pause(CRITICAL_SECTION);
        inUse.decrementAndGet(key);
    }

    /** The most holders of one key the clients ever counted at once. */
    int mostHoldersAtOnce() {
        return mostInUse.get();
    }

    private static void pause(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        clientsByTransport.forEach(clients -> clients.forEach(LockClient::close));
    }

    /** One line for the test log: what the load did. */
    String summary() {
        return String.format("%d acquisitions, %d conflicts, %d unknown outcomes, %d failures on survivors,"
                        + " %d acquisitions after a kill", history.acquisitions(), conflicts(), unknownOutcomes(),
                failuresOnSurvivors(), acquisitionsAfterKill());
    }

    LockHistory history() {
        return history;
    }

    long counterTotal() {
        long total = 0;
        for (int i = 0; i < counters.length(); i++) {
            total += counters.get(i);
        }
        return total;
    }

    long conflicts() {
        return conflicts.get();
    }

    long unknownOutcomes() {
        return unknownOutcomes.get();
    }

    /** Failures seen on instances that were never killed: there should be none. */
    long failuresOnSurvivors() {
        long failures = 0;
        for (int i = 0; i < failuresByInstance.length(); i++) {
            if (!killed.get(i)) {
                failures += failuresByInstance.get(i);
            }
        }
        return failures;
    }

    long acquisitionsAfterKill() {
        return acquisitionsByInstanceAfterKill.values().stream().mapToLong(AtomicLong::get).sum();
    }
}
