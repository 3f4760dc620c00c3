package tracker.locks.app;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/** A {@link LockClient} over REST with a keep-alive HTTP client, as a pipeline with curl would call it. */
final class RestLockClient implements LockClient {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private final String base;

    RestLockClient(int port) {
        this.base = "http://127.0.0.1:" + port + "/api/v1alpha1";
    }

    @Override
    public AcquireAnswer acquire(String service, String who) {
        try {
            String body = MAPPER.writeValueAsString(Map.of("service", service, "who", who));
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(base + "/lock"))
                    .timeout(TIMEOUT).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
            return switch (response.statusCode()) {
                case 201 -> AcquireAnswer.acquired(MAPPER.readTree(response.body()).get("id").asText());
                case 409 -> AcquireAnswer.HELD;
                default -> AcquireAnswer.FAILED;
            };
        } catch (IOException e) {
            return AcquireAnswer.FAILED;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return AcquireAnswer.FAILED;
        }
    }

    @Override
    public ReleaseAnswer release(String id) {
        try {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(base + "/unlock/" + id))
                    .timeout(TIMEOUT).GET().build(), HttpResponse.BodyHandlers.ofString());
            return switch (response.statusCode()) {
                case 200 -> ReleaseAnswer.RELEASED;
                case 404 -> ReleaseAnswer.NOT_FOUND;
                default -> ReleaseAnswer.FAILED;
            };
        } catch (IOException e) {
            return ReleaseAnswer.FAILED;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return ReleaseAnswer.FAILED;
        }
    }

    @Override
    public Optional<String> findHeldBy(String who) {
        try {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(
                    URI.create(base + "/locks/list?per_page=1000")).timeout(TIMEOUT).GET().build(),
                    HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                return Optional.empty();
            }
            for (JsonNode lock : MAPPER.readTree(response.body()).get("locks")) {
                if (who.equals(lock.get("who").asText())) {
                    return Optional.of(lock.get("id").asText());
                }
            }
            return Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }

    @Override
    public String describe() {
        return "REST " + base;
    }
}
