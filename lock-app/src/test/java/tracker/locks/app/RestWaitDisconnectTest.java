package tracker.locks.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.dropwizard.testing.DropwizardTestSupport;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * A REST client waiting for a held lock, over a real socket to the real server: when it disconnects, the server
 * stops waiting for it and never takes the lock for it; when it stays, it gets the lock and keeps its connection.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RestWaitDisconnectTest {

    /** How soon a disconnect must be noticed: the waiter looks at its client every 100 ms. */
    private static final Duration NOTICED_WITHIN = Duration.ofSeconds(2);

    private static final ObjectMapper JSON = new ObjectMapper();

    private DropwizardTestSupport<TrackerConfiguration> server;
    private Http http;

    @BeforeAll
    void startServer(@TempDir Path dataDirectory) throws Exception {
        server = TrackerServers.on(TrackerServers.h2File(dataDirectory));
        server.before();
        http = new Http(server.getLocalPort());
    }

    @AfterAll
    void stopServer() {
        server.after();
    }

    @Test
    void aClientThatDisconnectsWhileWaitingStopsWaitingAndNeverGetsTheLock() throws Exception {
        String holder = http.post("/api/v1alpha1/lock", "{\"service\":\"leaver-test\",\"who\":\"holder\"}").text("id");

        // No ttl: the server watches the connection, so a wait without a lease is allowed.
        try (Socket leaver = new Socket("127.0.0.1", server.getLocalPort())) {
            send(leaver, "POST", "/api/v1alpha1/lock", "{\"service\":\"leaver-test\",\"who\":\"leaver\",\"wait\":\"30s\"}");
            TrackerServers.awaitWaiting(server, n -> n == 1, NOTICED_WITHIN);
        } // closed: as a cancelled CI job's curl is

        TrackerServers.awaitWaiting(server, n -> n == 0, NOTICED_WITHIN);
        assertThat(http.get("/api/v1alpha1/unlock/" + holder).status()).isEqualTo(200);
        Http.Answer next = http.post("/api/v1alpha1/lock", "{\"service\":\"leaver-test\",\"who\":\"next\"}");
        assertThat(next.status()).as("the key is free, not taken for the client that left").isEqualTo(201);
        assertThat(http.get("/api/v1alpha1/locks/list").json().get("locks"))
                .extracting(lock -> lock.get("who").asText())
                .doesNotContain("leaver");
        http.get("/api/v1alpha1/unlock/" + next.text("id"));
    }

    @Test
    void aClientThatStaysGetsTheLockAndKeepsItsConnectionForTheNextRequest() throws Exception {
        String holder = http.post("/api/v1alpha1/lock", "{\"service\":\"stayer-test\",\"who\":\"holder\"}").text("id");
        try (Socket stayer = new Socket("127.0.0.1", server.getLocalPort())) {
            stayer.setSoTimeout(10_000);
            BufferedReader answers = new BufferedReader(
                    new InputStreamReader(stayer.getInputStream(), StandardCharsets.UTF_8));
            send(stayer, "POST", "/api/v1alpha1/lock", "{\"service\":\"stayer-test\",\"who\":\"stayer\",\"wait\":\"30s\"}");
            TrackerServers.awaitWaiting(server, n -> n == 1, NOTICED_WITHIN);
            Thread.sleep(300); // let the server look at the connection a few times while the client is quiet

            assertThat(http.get("/api/v1alpha1/unlock/" + holder).status()).isEqualTo(200);

            RawAnswer taken = read(answers);
            assertThat(taken.status()).isEqualTo(201);
            assertThat(taken.body()).contains("\"who\":\"stayer\"");
            String id = JSON.readTree(taken.body()).get("id").asText();
            send(stayer, "GET", "/api/v1alpha1/lock/" + id, null);
            RawAnswer lookedUp = read(answers);
            assertThat(lookedUp.status()).as("the same connection serves the next request").isEqualTo(200);
            assertThat(lookedUp.body()).contains(id);
            http.get("/api/v1alpha1/unlock/" + id);
        }
    }

    private static void send(Socket socket, String method, String path, String json) throws IOException {
        byte[] body = json == null ? new byte[0] : json.getBytes(StandardCharsets.UTF_8);
        String head = method + " " + path + " HTTP/1.1\r\nHost: localhost\r\n"
                + (json == null ? "" : "Content-Type: application/json\r\nContent-Length: " + body.length + "\r\n")
                + "\r\n";
        socket.getOutputStream().write(head.getBytes(StandardCharsets.US_ASCII));
        socket.getOutputStream().write(body);
        socket.getOutputStream().flush();
    }

    private record RawAnswer(int status, String body) {
    }

    /** One response with a Content-Length body (what the server sends for these small answers). */
    private static RawAnswer read(BufferedReader in) throws IOException {
        String status = in.readLine();
        int length = -1;
        for (String header = in.readLine(); header != null && !header.isEmpty(); header = in.readLine()) {
            if (header.toLowerCase().startsWith("content-length:")) {
                length = Integer.parseInt(header.substring(15).trim());
            }
        }
        assertThat(length).as("Content-Length of the answer to %s", status).isNotNegative();
        char[] body = new char[length];
        int read = 0;
        while (read < length) {
            int n = in.read(body, read, length - read);
            if (n < 0) {
                break;
            }
            read += n;
        }
        return new RawAnswer(Integer.parseInt(status.substring(9, 12)), new String(body, 0, read));
    }
}
