package tracker.locks.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.common.util.concurrent.FutureCallback;
import com.google.common.util.concurrent.Futures;
import com.google.common.util.concurrent.MoreExecutors;
import com.google.protobuf.Duration;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import tracker.lock.v1alpha1.CreateLockRequest;
import tracker.lock.v1alpha1.CreateLockResponse;
import tracker.lock.v1alpha1.LockServiceGrpc;
import tracker.lock.v1alpha1.UnLockRequest;
import tracker.locks.testkit.ServerProcess;

/**
 * {@code --waiters N}: N clients waiting at once on held keys of one server, half over REST (a connection each,
 * as curl users wait) and half over gRPC (calls on one connection), arriving one round after another so that each
 * key's line has a known order. While they wait, the server's threads and heap are read; then each key's holder
 * releases, and every waiter, once granted, releases in turn, handing the key to the next. Reports the threads and
 * heap while waiting, how long granting them all took, and whether every waiter was granted, in order per key.
 */
final class WaitersRun {

    /** Held keys the waiters share: N / KEYS wait on each. */
    static final int KEYS = 100;
    /** Longer than the arrival of 10,000 waiters and their turns on two cores; the server's limit is raised to it. */
    static final java.time.Duration WAIT = java.time.Duration.ofMinutes(5);
    private static final java.time.Duration ARRIVAL_TIMEOUT = java.time.Duration.ofMinutes(3);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final ServerProcess server;
    private final int waiters;
    private final java.io.PrintStream progress;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private final ManagedChannel channel;
    private final LockServiceGrpc.LockServiceFutureStub grpc;
    private final Map<Integer, List<Integer>> granted = new ConcurrentHashMap<>();
    private final List<String> failures = new CopyOnWriteArrayList<>();
    private final AtomicInteger answered = new AtomicInteger();
    private final AtomicLong lastGrant = new AtomicLong();
    private volatile int peakThreads;

    private WaitersRun(ServerProcess server, int waiters, java.io.PrintStream progress) {
        this.server = server;
        this.waiters = waiters;
        this.progress = progress;
        this.channel = ManagedChannelBuilder.forAddress(ServerProcess.HOST, server.grpcPort()).usePlaintext().build();
        this.grpc = LockServiceGrpc.newFutureStub(channel);
    }

    /** What a run saw. */
    record Result(int waiters, int granted, boolean inOrder, int threadsBefore, int threadsWaiting, int peakThreads,
                  HeapSampler.Sample heapWaiting, double arrivalSeconds, double grantSeconds, List<String> failures) {

        boolean ok() {
            return granted == waiters && inOrder && failures.isEmpty();
        }
    }

    static Result run(ServerProcess server, int waiters, java.io.PrintStream progress) throws Exception {
        WaitersRun run = new WaitersRun(server, waiters, progress);
        try {
            return run.measure();
        } finally {
            run.channel.shutdownNow();
        }
    }

    private Result measure() throws Exception {
        List<String> holders = new ArrayList<>();
        for (int key = 0; key < KEYS; key++) {
            holders.add(restAcquire(key, "holder", null).get(30, TimeUnit.SECONDS));
        }
        int threadsBefore = threads();
        Thread watcher = new Thread(this::watchThreads, "bench-thread-watch");
        watcher.setDaemon(true);
        watcher.start();

        long arrival = System.nanoTime();
        int rounds = (waiters + KEYS - 1) / KEYS;
        int sent = 0;
        for (int round = 0; round < rounds && sent < waiters; round++) {
            for (int key = 0; key < KEYS && sent < waiters; key++, sent++) {
                int waiter = round * KEYS + key;
                // Alternate the transports along each key's line, so REST and gRPC waiters take turns.
                if ((round + key) % 2 == 0) {
                    restWaiter(key, waiter);
                } else {
                    grpcWaiter(key, waiter);
                }
            }
            awaitWaiting(sent);
            if ((round + 1) % 10 == 0) {
                progress.printf(Locale.ROOT, "    %,d waiting%n", sent);
            }
        }
        double arrivalSeconds = (System.nanoTime() - arrival) / 1e9;
        int threadsWaiting = threads();
        HeapSampler.Sample heap = heap();
        progress.printf(Locale.ROOT, "    all %,d waiting after %.1f s: server threads %d (before: %d), heap used %s MB%n",
                waiters, arrivalSeconds, threadsWaiting, threadsBefore, HeapSampler.mb(heap.used()));

        long releaseStart = System.nanoTime();
        lastGrant.set(releaseStart);
        for (String holder : holders) {
            restRelease(holder);
        }
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (answered.get() < waiters && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        double grantSeconds = (lastGrant.get() - releaseStart) / 1e9;
        watcher.interrupt();
        int total = granted.values().stream().mapToInt(List::size).sum();
        boolean inOrder = granted.entrySet().stream().allMatch(line -> isAscending(line.getValue()));
        return new Result(waiters, total, inOrder, threadsBefore, threadsWaiting, peakThreads, heap, arrivalSeconds,
                grantSeconds, List.copyOf(failures.subList(0, Math.min(5, failures.size()))));
    }

    private static boolean isAscending(List<Integer> order) {
        for (int i = 1; i < order.size(); i++) {
            if (order.get(i) < order.get(i - 1)) {
                return false;
            }
        }
        return true;
    }

    private void granted(int key, int waiter) {
        granted.computeIfAbsent(key, k -> new CopyOnWriteArrayList<>()).add(waiter);
        lastGrant.set(System.nanoTime());
    }

    private void failed(int waiter, String what) {
        failures.add("waiter " + waiter + ": " + what);
        answered.incrementAndGet();
    }

    private void restWaiter(int key, int waiter) {
        restAcquire(key, "waiter-" + waiter, WAIT).whenComplete((id, failure) -> {
            if (failure != null) {
                failed(waiter, "REST: " + failure);
                return;
            }
            granted(key, waiter);
            restRelease(id);
            answered.incrementAndGet();
        });
    }

    private void grpcWaiter(int key, int waiter) {
        CreateLockRequest request = CreateLockRequest.newBuilder().setService(service(key)).setWho("waiter-" + waiter)
                .setWait(Duration.newBuilder().setSeconds(WAIT.toSeconds()))
                .setTtl(Duration.newBuilder().setSeconds(WAIT.toSeconds() * 2)).build();
        Futures.addCallback(grpc.withDeadlineAfter(WAIT.toSeconds() + 60, TimeUnit.SECONDS).createLock(request),
                new FutureCallback<CreateLockResponse>() {
                    @Override
                    public void onSuccess(CreateLockResponse response) {
                        granted(key, waiter);
                        Futures.addCallback(grpc.withDeadlineAfter(30, TimeUnit.SECONDS).unLock(
                                UnLockRequest.newBuilder().setId(response.getLock().getId()).build()),
                                new FutureCallback<>() {
                                    @Override
                                    public void onSuccess(tracker.lock.v1alpha1.UnLockResponse released) {
                                        answered.incrementAndGet();
                                    }

                                    @Override
                                    public void onFailure(Throwable t) {
                                        failed(waiter, "gRPC release: " + t);
                                    }
                                }, MoreExecutors.directExecutor());
                    }

                    @Override
                    public void onFailure(Throwable t) {
                        failed(waiter, "gRPC: " + t);
                    }
                }, MoreExecutors.directExecutor());
    }

    private static String service(int key) {
        return "bench-w-" + key;
    }

    private CompletableFuture<String> restAcquire(int key, String who, java.time.Duration wait) {
        String body = "{\"service\":\"" + service(key) + "\",\"who\":\"" + who + "\""
                + (wait == null ? "" : ",\"wait\":\"" + wait.toSeconds() + "s\",\"ttl\":\"" + wait.toSeconds() * 2
                + "s\"") + "}";
        HttpRequest request = HttpRequest.newBuilder(api("/api/v1alpha1/lock"))
                .timeout(WAIT.plusMinutes(1))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build();
        return http.sendAsync(request, HttpResponse.BodyHandlers.ofString()).thenApply(response -> {
            if (response.statusCode() != 201) {
                throw new IllegalStateException("acquire answered " + response.statusCode() + ": " + response.body());
            }
            try {
                return JSON.readTree(response.body()).get("id").asText();
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        });
    }

    private void restRelease(String id) {
        HttpRequest request = HttpRequest.newBuilder(api("/api/v1alpha1/lock/" + id))
                .timeout(java.time.Duration.ofSeconds(30)).DELETE().build();
        http.sendAsync(request, HttpResponse.BodyHandlers.discarding()).whenComplete((response, failure) -> {
            if (failure != null || response.statusCode() != 200) {
                failures.add("release " + id + ": " + (failure != null ? failure : response.statusCode()));
            }
        });
    }

    private URI api(String path) {
        return URI.create("http://" + ServerProcess.HOST + ":" + server.httpPort() + path);
    }

    /** Until the server says {@code count} clients wait (its tracker_lock_waiters gauge). */
    private void awaitWaiting(int count) throws Exception {
        long deadline = System.nanoTime() + ARRIVAL_TIMEOUT.toNanos();
        while (waiting() < count) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("only " + waiting() + " of " + count + " waiters arrived within "
                        + ARRIVAL_TIMEOUT.toMinutes() + " min; failures: " + failures);
            }
            if (!failures.isEmpty()) {
                throw new IllegalStateException("waiters failed while arriving: " + failures.subList(0,
                        Math.min(5, failures.size())));
            }
            Thread.sleep(5);
        }
    }

    private long waiting() throws IOException, InterruptedException {
        String metrics = http.send(HttpRequest.newBuilder(server.adminUri("/metrics")).build(),
                HttpResponse.BodyHandlers.ofString()).body();
        return metrics.lines().filter(line -> line.startsWith("tracker_lock_waiters "))
                .mapToLong(line -> (long) Double.parseDouble(line.substring(line.indexOf(' ') + 1).trim()))
                .findFirst().orElse(0);
    }

    private HeapSampler.Sample heap() throws IOException, InterruptedException {
        String json = http.send(HttpRequest.newBuilder(server.adminUri("/metrics.json")).build(),
                HttpResponse.BodyHandlers.ofString()).body();
        return HeapSampler.parse(0, json);
    }

    private int threads() {
        return ThreadCount.of(server.handle());
    }

    private void watchThreads() {
        while (!Thread.currentThread().isInterrupted()) {
            peakThreads = Math.max(peakThreads, threads());
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    /** The report of a run. */
    static String report(String database, Result result, String serverHeap) {
        StringBuilder out = new StringBuilder();
        out.append(String.format(Locale.ROOT, "== %s / %,d waiters at once (%d held keys, %,d per key; half REST, half"
                        + " gRPC) ==%n", database, result.waiters(), KEYS, result.waiters() / KEYS));
        out.append(String.format(Locale.ROOT, "arrived in %.1f s; server threads: %d before, %d with all waiting,"
                + " %d at most%n", result.arrivalSeconds(), result.threadsBefore(), result.threadsWaiting(),
                result.peakThreads()));
        out.append(String.format(Locale.ROOT, "server heap (-Xmx%s) with all waiting: used %s MB, committed %s MB,"
                        + " after the last GC %s MB%n", serverHeap, HeapSampler.mb(result.heapWaiting().used()),
                HeapSampler.mb(result.heapWaiting().committed()), HeapSampler.mb(result.heapWaiting().afterGc())));
        out.append(String.format(Locale.ROOT, "granted %,d of %,d, %s; all granted %.1f s after the holders"
                        + " released (each waiter releasing as soon as it is granted)%n", result.granted(),
                result.waiters(), result.inOrder() ? "in arrival order on every key" : "NOT IN ARRIVAL ORDER",
                result.grantSeconds()));
        result.failures().forEach(failure -> out.append("  failure: ").append(failure).append('\n'));
        return out.toString();
    }
}
