package tracker.locks.app;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import tracker.locks.testkit.ServerProcess;

/** What a running instance's admin port says about its release listener. */
final class AdminMetrics {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private static final ObjectMapper JSON = new ObjectMapper();

    private AdminMetrics() {
    }

    /** 1 while the instance listens for release notifications, 0 while it does not (its waiters poll). */
    static int releaseNotifications(ServerProcess server) throws IOException, InterruptedException {
        String metrics = HTTP.send(HttpRequest.newBuilder(server.adminUri("/metrics.json"))
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString()).body();
        return JSON.readTree(metrics).get("gauges").get(TrackerApplication.RELEASE_NOTIFICATIONS).get("value")
                .asInt();
    }

    /** The gauge once it reads {@code expected}, or the last value read once {@code bound} has passed. */
    static int awaitReleaseNotifications(ServerProcess server, int expected, Duration bound)
            throws IOException, InterruptedException {
        long deadline = System.nanoTime() + bound.toNanos();
        int listening = releaseNotifications(server);
        while (listening != expected && System.nanoTime() < deadline) {
            Thread.sleep(50); // the listener reconnects once a second, and notices silence within seconds
            listening = releaseNotifications(server);
        }
        return listening;
    }
}
