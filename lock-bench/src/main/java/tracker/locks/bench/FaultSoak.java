package tracker.locks.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;
import java.util.stream.StreamSupport;
import tracker.locks.bench.BenchOptions.Transport;
import tracker.locks.testkit.LockClient;
import tracker.locks.testkit.ServerProcess;

/**
 * {@code --soak D --faults}: {@link #INSTANCES} instances of the server on one restartable embedded PostgreSQL,
 * under the {@link SoakLoad} for D while the {@link FaultInjector} kills, restarts and pauses things, with a line of
 * {@link SoakProgress} every 10 s; then whether every instance still serves, and the {@link SoakSummary}. It passes
 * when no two clients ever held a key at once, the guarded counters equal the acknowledged acquisitions, the load
 * acquired after every fault, and every instance serves at the end.
 */
final class FaultSoak {

    static final int INSTANCES = 3;
    /** How often the end's check asks an instance that may still be reconnecting to its database. */
    private static final int END_CHECK_TRIES = 10;
    private static final Duration END_CHECK_PAUSE = Duration.ofSeconds(1);
    private static final ObjectMapper JSON = new ObjectMapper();

    private FaultSoak() {
    }

    /** Whether one instance granted and released a lock over each transport at the end. */
    record Serving(String instance, boolean rest, boolean grpc) {
        boolean serves() {
            return rest && grpc;
        }
    }

    /**
     * Runs the fault soak, printing as it goes; returns whether it passed. Every process it started is stopped when
     * it returns (the database is the caller's).
     */
    static boolean run(BenchDatabase database, SoakInstances.Launcher launcher, Duration length, Duration interval,
                       PrintStream out) throws InterruptedException {
        try (SoakInstances instances = SoakInstances.start(INSTANCES, launcher)) {
            out.println("instances (iN#g: slot N, its g-th process): " + describe(instances));
            out.flush();
            SoakClock clock = SoakClock.startingNow();
            try (SoakLoad load = SoakLoad.start(instances, clock);
                 ConnectionCounter connections = new ConnectionCounter(database.serverEnvironment())) {
                FaultInjector faults = new FaultInjector(instances, database, load.checker(), clock, interval, out);
                SoakProgress progress = new SoakProgress(load, faults, connections, clock, out);
                Optional<String> faultFailure;
                try (progress) {
                    progress.start();
                    faultFailure = injectFaults(faults, clock.startNanos() + length.toNanos(), clock, out);
                }
                Duration ran = Duration.ofNanos(System.nanoTime() - clock.startNanos());
                int unfinished = load.stop();
                progress.line(); // after the clients stopped: the final counts
                List<Serving> serving = instances.all().stream().map(FaultSoak::serving).toList();
                long leftHeld = soakLocksHeld(instances.all());
                SoakSummary summary = new SoakSummary(length, ran, interval, clock, load, faults.faults(),
                        faultFailure, unfinished, progress, serving, leftHeld);
                out.println();
                out.print(summary.text());
                out.flush();
                return summary.passed();
            }
        }
    }

    /** The faults until {@code end}; one that could not be injected or recovered from ends them early. */
    private static Optional<String> injectFaults(FaultInjector faults, long end, SoakClock clock, PrintStream out)
            throws InterruptedException {
        try {
            faults.run(end);
            return Optional.empty();
        } catch (IOException | RuntimeException e) {
            out.println(clock.stamp() + " fault injection FAILED, no more faults: " + e);
            return Optional.of(e.toString());
        }
    }

    private static String describe(SoakInstances instances) {
        return instances.all().stream().map(instance -> {
            ServerProcess server = instance.server();
            return instance.label() + " pid " + server.handle().pid() + " (REST " + server.httpPort() + ", gRPC "
                    + server.grpcPort() + ", admin " + server.adminPort() + ")";
        }).collect(Collectors.joining(", "));
    }

    private static Serving serving(SoakInstances.Instance instance) {
        return new Serving(instance.label(), serves(instance, Transport.REST), serves(instance, Transport.GRPC));
    }

    /**
     * Whether {@code instance} grants and releases a lock over {@code transport}, within a few tries: at the end it
     * may still be reconnecting after the last fault.
     */
    private static boolean serves(SoakInstances.Instance instance, Transport transport) {
        try (LockClient client = TalliedClient.connect(instance, transport)) {
            for (int attempt = 1; attempt <= END_CHECK_TRIES; attempt++) {
                // A key and a who per instance, transport and attempt: a try that failed but took its lock cannot
                // make the next one look held.
                String key = "soak-end-" + instance.label() + "-" + BenchOptions.lower(transport) + "-" + attempt;
                LockClient.AcquireAnswer answer = client.acquire(key, key);
                if (answer.outcome() == LockClient.Outcome.ACQUIRED
                        && client.release(answer.id()) == LockClient.ReleaseAnswer.RELEASED) {
                    return true;
                }
                SoakClock.pause(END_CHECK_PAUSE);
            }
            return false;
        }
    }

    /**
     * The locks on the load's keys still held once its clients stopped: 0 unless a clean-up was given up, or a
     * lock was granted after its client had looked for it; -1 when no instance answered the list.
     */
    private static long soakLocksHeld(List<SoakInstances.Instance> instances) {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        for (SoakInstances.Instance instance : instances) {
            URI list = URI.create("http://" + ServerProcess.HOST + ":" + instance.server().httpPort()
                    + "/api/v1alpha1/locks/list?per_page=1000");
            try {
                HttpResponse<String> response = http.send(HttpRequest.newBuilder(list)
                        .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
                if (response.statusCode() == 200) {
                    JsonNode locks = JSON.readTree(response.body()).path("locks");
                    return StreamSupport.stream(locks.spliterator(), false)
                            .filter(lock -> lock.path("service").asText().startsWith(SoakLoad.SERVICE_PREFIX))
                            .count();
                }
            } catch (IOException noAnswer) {
                // the next instance
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return -1;
            }
        }
        return -1;
    }
}
