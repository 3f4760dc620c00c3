package tracker.locks.testkit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/** A {@link LockClient} over REST with a keep-alive HTTP client, as a pipeline with curl would call it. */
public final class RestLockClient implements LockClient {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final Duration TIMEOUT = Duration.ofSeconds(10);
    /** Created, found, held by another (409), not found: every other status is a failure. */
    private static final java.util.Set<Integer> EXPECTED_STATUSES = java.util.Set.of(200, 201, 404, 409);

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private final String base;
    private final FailureKinds failures = new FailureKinds();

    public RestLockClient(int port) {
        this.base = "http://127.0.0.1:" + port + "/api/v1alpha1";
    }

    @Override
    public AcquireAnswer acquire(String service, String environment, String who, Duration ttl) {
        Map<String, Object> body = new LinkedHashMap<>(Map.of("service", service, "who", who));
        if (environment != null) {
            body.put("environment", environment);
        }
        if (ttl != null) {
            body.put("ttl", ttl.toMillis() + "ms");
        }
        return create(body);
    }

    @Override
    public AcquireAnswer acquire(String service, String who, int limit) {
        return create(Map.of("service", service, "who", who, "limit", limit));
    }

    private AcquireAnswer create(Map<String, Object> body) {
        return send(post("/lock", body), AcquireAnswer.FAILED, (status, json) -> switch (status) {
            case 201 -> AcquireAnswer.acquired(json.get("id").asText(), json.get("token").asLong(), expiresAt(json));
            case 409 -> AcquireAnswer.HELD;
            default -> AcquireAnswer.FAILED;
        });
    }

    @Override
    public ReleaseAnswer release(String id) {
        return send(HttpRequest.newBuilder(URI.create(base + "/unlock/" + id)).GET(), ReleaseAnswer.FAILED,
                (status, json) -> switch (status) {
                    case 200 -> ReleaseAnswer.RELEASED;
                    case 404 -> ReleaseAnswer.NOT_FOUND;
                    default -> ReleaseAnswer.FAILED;
                });
    }

    @Override
    public RenewAnswer renew(String id, Duration ttl) {
        return send(post("/lock/" + id + "/renew", Map.of("ttl", ttl.toMillis() + "ms")), RenewAnswer.FAILED,
                (status, json) -> switch (status) {
                    case 200 -> new RenewAnswer(Found.HELD, expiresAt(json));
                    case 404 -> RenewAnswer.NOT_FOUND;
                    default -> RenewAnswer.FAILED;
                });
    }

    @Override
    public LockState get(String id) {
        return send(HttpRequest.newBuilder(URI.create(base + "/lock/" + id)).GET(), LockState.FAILED,
                (status, json) -> switch (status) {
                    case 200 -> new LockState(Found.HELD, json.get("token").asLong(), expiresAt(json));
                    case 404 -> LockState.NOT_FOUND;
                    default -> LockState.FAILED;
                });
    }

    @Override
    public Optional<String> findHeldBy(String who) {
        return send(HttpRequest.newBuilder(URI.create(base + "/locks/list?per_page=1000")).GET(), Optional.empty(),
                (status, json) -> {
                    if (status != 200) {
                        return Optional.empty();
                    }
                    for (JsonNode lock : json.get("locks")) {
                        if (who.equals(lock.get("who").asText())) {
                            return Optional.of(lock.get("id").asText());
                        }
                    }
                    return Optional.empty();
                });
    }

    @Override
    public Map<String, Long> failures() {
        return failures.snapshot();
    }

    @Override
    public String describe() {
        return "REST " + base;
    }

    private HttpRequest.Builder post(String path, Map<String, ?> body) {
        try {
            return HttpRequest.newBuilder(URI.create(base + path)).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(MAPPER.writeValueAsString(body)));
        } catch (IOException e) {
            throw new IllegalArgumentException(e);
        }
    }

    private static Instant expiresAt(JsonNode lock) {
        return lock.hasNonNull("expiresAt") ? Instant.parse(lock.get("expiresAt").asText()) : null;
    }

    /** What a status and JSON body mean to the caller. */
    @FunctionalInterface
    private interface Reading<T> {
        T read(int status, JsonNode body) throws IOException;
    }

    /** Sends the request; no answer, or a body that is not JSON, is {@code failed}. */
    private <T> T send(HttpRequest.Builder request, T failed, Reading<T> reading) {
        try {
            HttpResponse<String> response = http.send(request.timeout(TIMEOUT).build(),
                    HttpResponse.BodyHandlers.ofString());
            if (!EXPECTED_STATUSES.contains(response.statusCode())) {
                failures.record("HTTP " + response.statusCode());
            }
            return reading.read(response.statusCode(), MAPPER.readTree(response.body()));
        } catch (IOException e) {
            failures.record(e.getClass().getSimpleName());
            return failed;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return failed;
        }
    }
}
