package tracker.locks.bench;

import java.io.IOException;
import java.io.PrintStream;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The fault soak's line of progress, every {@link #EVERY}: acquisitions, what the checks say so far, the failures by
 * kind, each instance's heap and threads, the database's connections and the faults so far; and the most heap,
 * threads and connections seen, for the summary.
 */
final class SoakProgress implements AutoCloseable {

    static final Duration EVERY = Duration.ofSeconds(10);
    /** A paused instance answers nothing: its heap is shown as "-" after this, so the line is not late. */
    private static final Duration PROBE_TIMEOUT = Duration.ofSeconds(2);

    /** The largest value seen so far, where (an instance's label) and when. */
    record Most(long value, String where, String when) {
        static final Most NONE = new Most(-1, "-", "-");

        Most max(long candidate, String where, String when) {
            return candidate > value ? new Most(candidate, where, when) : this;
        }
    }

    private final SoakLoad load;
    private final FaultInjector faults;
    private final ConnectionCounter connections;
    private final SoakClock clock;
    private final PrintStream out;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(PROBE_TIMEOUT).build();
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(task -> {
        Thread thread = new Thread(task, "soak-progress");
        thread.setDaemon(true);
        return thread;
    });
    private long acquiredBefore;
    private Most heap = Most.NONE;
    private Most threads = Most.NONE;
    private Most databaseConnections = Most.NONE;

    SoakProgress(SoakLoad load, FaultInjector faults, ConnectionCounter connections, SoakClock clock,
                 PrintStream out) {
        this.load = load;
        this.faults = faults;
        this.connections = connections;
        this.clock = clock;
        this.out = out;
    }

    void start() {
        timer.scheduleAtFixedRate(this::lineOrWhyNot, EVERY.toMillis(), EVERY.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** The timer's task: an exception would end its schedule silently, so it is printed and the schedule goes on. */
    private void lineOrWhyNot() {
        try {
            line();
        } catch (RuntimeException e) {
            out.println(clock.stamp() + " progress line failed: " + e);
        }
    }

    /** Prints one line now. */
    synchronized void line() {
        long acquired = load.checker().acknowledged();
        String when = clock.stamp();
        StringBuilder line = new StringBuilder(when).append(String.format(Locale.ROOT,
                " acquired %,d (+%,d) | violations %d | counter lost %d | unknown outcomes %,d | failures: %s |",
                acquired, acquired - acquiredBefore, load.checker().violations(), load.counters().certainlyLost(),
                load.unknownOutcomes(), FailureTally.describe(load.failures().snapshot())));
        acquiredBefore = acquired;
        List<SoakInstances.Instance> instances = load.instances().all();
        List<CompletableFuture<Long>> heaps = new ArrayList<>();
        instances.forEach(instance -> heaps.add(heapUsed(instance)));
        for (int i = 0; i < instances.size(); i++) {
            String label = instances.get(i).label();
            long used = heaps.get(i).join();
            int count = ThreadCount.of(instances.get(i).server().handle());
            heap = heap.max(used, label, when);
            threads = threads.max(count, label, when);
            line.append(String.format(Locale.ROOT, " %s %s MB %s thr%s", label, HeapSampler.mb(used),
                    count < 0 ? "-" : Integer.toString(count), i < instances.size() - 1 ? "," : " |"));
        }
        int connected = connections.count();
        databaseConnections = databaseConnections.max(connected, "postgres", when);
        line.append(" db connections ").append(connected < 0 ? "-" : Integer.toString(connected))
                .append(" | faults ").append(faults.faults().size());
        out.println(line);
        out.flush();
    }

    /** Bytes of heap the instance uses now, from its admin port's /metrics.json; -1 without an answer in time. */
    private CompletableFuture<Long> heapUsed(SoakInstances.Instance instance) {
        HttpRequest request = HttpRequest.newBuilder(instance.server().adminUri("/metrics.json"))
                .timeout(PROBE_TIMEOUT).build();
        return http.sendAsync(request, HttpResponse.BodyHandlers.ofString())
                .thenApply(response -> heapUsed(response.body()))
                .exceptionally(noAnswer -> -1L);
    }

    private static long heapUsed(String metricsJson) {
        try {
            return HeapSampler.parse(0, metricsJson).used();
        } catch (IOException notJson) {
            return -1;
        }
    }

    synchronized Most heap() {
        return heap;
    }

    synchronized Most threads() {
        return threads;
    }

    synchronized Most databaseConnections() {
        return databaseConnections;
    }

    /** Stops the schedule; a line being printed is finished first. */
    @Override
    public void close() throws InterruptedException {
        timer.shutdown();
        timer.awaitTermination(30, TimeUnit.SECONDS);
    }
}
