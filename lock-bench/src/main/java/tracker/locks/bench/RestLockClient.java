package tracker.locks.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * The server over REST: one {@link HttpClient} (HTTP/1.1, its default keep-alive connection pool) shared by every
 * client thread of a configuration; each thread ends up on a connection of its own that stays open.
 */
final class RestLockClient implements LockClient {

    private static final Duration TIMEOUT = Duration.ofSeconds(10);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpClient http;
    private final String base;

    RestLockClient(String host, int port) {
        this.http = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5))
                .build();
        this.base = "http://" + host + ":" + port + "/api/v1alpha1";
    }

    @Override
    public String acquire(String service, String environment, String who) throws Exception {
        // The names are the benchmark's own plain ASCII, so no escaping is needed.
        String body = "{\"service\":\"" + service + "\",\"environment\":\"" + environment
                + "\",\"who\":\"" + who + "\"}";
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(base + "/lock"))
                        .timeout(TIMEOUT)
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(body))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() == 201) {
            JsonNode id = JSON.readTree(response.body()).get("id");
            if (id == null || !id.isTextual()) {
                throw new IllegalStateException("201 without an id: " + abbreviate(response.body()));
            }
            return id.asText();
        }
        if (response.statusCode() == 409) {
            return null;
        }
        throw new IllegalStateException("POST /lock answered " + response.statusCode() + ": "
                + abbreviate(response.body()));
    }

    @Override
    public void release(String id) throws Exception {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(base + "/lock/" + id))
                        .timeout(TIMEOUT)
                        .DELETE()
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new IllegalStateException("DELETE /lock/" + id + " answered " + response.statusCode() + ": "
                    + abbreviate(response.body()));
        }
    }

    private static String abbreviate(String body) {
        return body.length() <= 200 ? body : body.substring(0, 200) + "...";
    }
}
