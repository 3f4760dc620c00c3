package tracker.locks.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Samples the server's heap from its admin port's {@code /metrics.json} (Dropwizard's JVM gauges) once a second, so the
 * soak can show whether memory stays steady.
 */
final class HeapSampler implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final double MB = 1024.0 * 1024;

    /**
     * One sample; bytes, or -1 when the gauge is missing.
     *
     * @param afterGc the sum of the heap pools' {@code used-after-gc} gauges: what the last collection of each pool
     *                left
     * @param gcCount collections so far, all collectors
     */
    record Sample(double seconds, long used, long committed, long max, long afterGc, long gcCount, long gcMillis) {
    }

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private final URI metrics;
    private final List<Sample> samples = new CopyOnWriteArrayList<>();
    private final AtomicLong failures = new AtomicLong();
    private final Thread thread;
    private volatile boolean stopped;

    /** Starts sampling after {@code delay}; time 0 is the end of that delay. */
    HeapSampler(URI metrics, Duration delay) {
        this.metrics = metrics;
        this.thread = new Thread(() -> sample(delay), "heap-sampler");
        this.thread.setDaemon(true);
        this.thread.start();
    }

    private void sample(Duration delay) {
        try {
            Thread.sleep(delay.toMillis());
            long zero = System.nanoTime();
            long next = zero;
            while (!stopped) {
                try {
                    HttpResponse<String> response = http.send(HttpRequest.newBuilder(metrics)
                            .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
                    samples.add(parse((System.nanoTime() - zero) / 1e9, response.body()));
                } catch (java.io.IOException | RuntimeException e) {
                    failures.incrementAndGet();
                }
                next += 1_000_000_000L;
                long sleep = next - System.nanoTime();
                if (sleep > 0) {
                    Thread.sleep(sleep / 1_000_000, (int) (sleep % 1_000_000));
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    static Sample parse(double seconds, String metricsJson) throws java.io.IOException {
        JsonNode gauges = JSON.readTree(metricsJson).path("gauges");
        long afterGc = -1;
        long gcCount = -1;
        long gcMillis = -1;
        for (Map.Entry<String, JsonNode> gauge : gauges.properties()) {
            String name = gauge.getKey();
            JsonNode value = gauge.getValue().path("value");
            if (!value.isNumber()) {
                continue;
            }
            if (name.startsWith("jvm.memory.pools.") && name.endsWith(".used-after-gc")) {
                afterGc = Math.max(afterGc, 0) + value.asLong();
            } else if (name.startsWith("jvm.gc.") && name.endsWith(".count")) {
                gcCount = Math.max(gcCount, 0) + value.asLong();
            } else if (name.startsWith("jvm.gc.") && name.endsWith(".time")) {
                gcMillis = Math.max(gcMillis, 0) + value.asLong();
            }
        }
        return new Sample(seconds, gauge(gauges, "jvm.memory.heap.used"), gauge(gauges, "jvm.memory.heap.committed"),
                gauge(gauges, "jvm.memory.heap.max"), afterGc, gcCount, gcMillis);
    }

    private static long gauge(JsonNode gauges, String name) {
        JsonNode value = gauges.path(name).path("value");
        return value.isNumber() ? value.asLong() : -1;
    }

    List<Sample> samples() {
        return List.copyOf(samples);
    }

    @Override
    public void close() {
        stopped = true;
        thread.interrupt();
        try {
            thread.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * The heap over the run: about eleven evenly spaced samples, then the trend of the floor (the lowest heap use in
     * each tenth of the run, i.e. what garbage collection got back to) and of the used-after-GC gauges.
     */
    String summary(String serverHeap) {
        List<Sample> all = samples();
        StringBuilder out = new StringBuilder();
        out.append(String.format(Locale.ROOT, "server heap (-Xmx%s), sampled every second from /metrics.json: %d samples,"
                + " %d failed%n", serverHeap, all.size(), failures.get()));
        if (all.isEmpty()) {
            return out.toString();
        }
        List<List<String>> rows = new ArrayList<>();
        int step = Math.max(1, (all.size() - 1) / 10);
        for (int i = 0; i < all.size(); i += step) {
            rows.add(row(all.get(i)));
        }
        if ((all.size() - 1) % step != 0) {
            rows.add(row(all.get(all.size() - 1)));
        }
        out.append(Report.textTable(List.of("t", "used MB", "committed MB", "after-GC MB", "GCs", "GC ms"), rows));

        List<Long> floors = floors(all);
        Sample first = all.get(0);
        Sample last = all.get(all.size() - 1);
        out.append(String.format(Locale.ROOT,
                "heap floor per tenth of the run (MB): %s%n"
                        + "  min %.1f, max %.1f; first tenth %.1f -> last tenth %.1f (%+.1f MB)%n",
                floors.stream().map(HeapSampler::mb).toList(),
                floors.stream().mapToLong(Long::longValue).min().orElse(0) / MB,
                floors.stream().mapToLong(Long::longValue).max().orElse(0) / MB,
                floors.get(0) / MB, floors.get(floors.size() - 1) / MB,
                (floors.get(floors.size() - 1) - floors.get(0)) / MB));
        long minAfter = all.stream().mapToLong(Sample::afterGc).filter(v -> v >= 0).min().orElse(-1);
        long maxAfter = all.stream().mapToLong(Sample::afterGc).filter(v -> v >= 0).max().orElse(-1);
        out.append(String.format(Locale.ROOT,
                "used after GC (MB): start %s, end %s, min %s, max %s; %d collections, %d ms in GC; committed %s -> %s%n",
                mb(first.afterGc()), mb(last.afterGc()), mb(minAfter), mb(maxAfter),
                delta(first.gcCount(), last.gcCount()), delta(first.gcMillis(), last.gcMillis()),
                mb(first.committed()), mb(last.committed())));
        return out.toString();
    }

    /** The lowest heap use in each tenth of the samples. */
    static List<Long> floors(List<Sample> samples) {
        List<Long> floors = new ArrayList<>();
        int parts = Math.min(10, samples.size());
        for (int part = 0; part < parts; part++) {
            int from = part * samples.size() / parts;
            int to = (part + 1) * samples.size() / parts;
            floors.add(samples.subList(from, to).stream().mapToLong(Sample::used).min().orElse(0));
        }
        return floors;
    }

    private static List<String> row(Sample sample) {
        return List.of(String.format(Locale.ROOT, "%.0fs", sample.seconds()), mb(sample.used()),
                mb(sample.committed()), mb(sample.afterGc()), Long.toString(sample.gcCount()),
                Long.toString(sample.gcMillis()));
    }

    private static long delta(long start, long end) {
        return start < 0 || end < 0 ? -1 : end - start;
    }

    static String mb(long bytes) {
        return bytes < 0 ? "-" : String.format(Locale.ROOT, "%.1f", bytes / MB);
    }
}
