package tracker.locks.client;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * A client of the Tracker Locks REST API (the address pipelines already use, {@code http://tracker:8080}); needs
 * nothing but the JDK. Thread-safe; one per server is enough. Locks it hands out renew themselves
 * ({@link HeldLock}).
 *
 * <pre>{@code
 * LockClient locks = LockClient.builder(URI.create("http://tracker:8080")).build();
 * try (HeldLock lock = locks.acquire(LockRequest.of("production-deployment", "ci-42").ttl(Duration.ofSeconds(30)))) {
 *     deploy(lock.token());   // the fencing token
 * }                           // released here
 * }</pre>
 *
 * <p>REST rather than gRPC: it is the transport every pipeline can reach, it needs no generated code or Netty on the
 * user's classpath, and the CLI built on this client must speak to the same {@code TRACKER_URL}.
 */
public final class LockClient implements AutoCloseable {

    private static final String API = "/api/v1alpha1";
    /** The longest wait one request asks for: the server's default LOCK_MAX_WAIT. */
    static final Duration WAIT_PER_REQUEST = Duration.ofSeconds(60);
    /** Beyond the wait the server was asked for: how long an answer may take. */
    private static final Duration ANSWER_TIMEOUT = Duration.ofSeconds(15);

    private final URI server;
    private final String authorization;
    private final HttpClient http;
    private final ScheduledExecutorService renewals;

    private LockClient(Builder builder) {
        String base = builder.server.toString();
        this.server = URI.create(base.endsWith("/") ? base.substring(0, base.length() - 1) : base);
        this.authorization = builder.token == null ? null : "Bearer " + builder.token;
        HttpClient.Builder http = HttpClient.newBuilder().connectTimeout(builder.connectTimeout);
        if (builder.tls != null) {
            http.sslContext(builder.tls);
        }
        this.http = http.build();
        this.renewals = Executors.newSingleThreadScheduledExecutor(task -> {
            Thread thread = new Thread(task, "tracker-lock-renewal");
            thread.setDaemon(true);
            return thread;
        });
    }

    public static Builder builder(URI server) {
        return new Builder(server);
    }

    /**
     * Takes the lock, waiting as long as the request says.
     *
     * @return the lock, renewing itself in the background when the request has a ttl
     * @throws LockHeldException     when the key is held (after the wait), naming the holders
     * @throws LockRejectedException when the server refuses the request (bad input, no permission)
     * @throws LockServerException   when the server cannot be reached or fails
     */
    public HeldLock acquire(LockRequest request) {
        if (request.maxWait() == null || request.maxWait().compareTo(WAIT_PER_REQUEST) <= 0) {
            return acquireOnce(request);
        }
        // The server lets one request wait LOCK_MAX_WAIT at most (60 s by default): a longer wait is several.
        long deadline = System.nanoTime() + request.maxWait().toNanos();
        while (true) {
            Duration left = Duration.ofNanos(deadline - System.nanoTime());
            Duration chunk = left.compareTo(WAIT_PER_REQUEST) < 0 ? left : WAIT_PER_REQUEST;
            try {
                return acquireOnce(request.waitingUpTo(chunk.isNegative() ? Duration.ZERO : chunk));
            } catch (LockHeldException held) {
                if (deadline - System.nanoTime() <= 0) {
                    throw held;
                }
            }
        }
    }

    private HeldLock acquireOnce(LockRequest request) {
        Duration timeout = request.maxWait() == null ? ANSWER_TIMEOUT : ANSWER_TIMEOUT.plus(request.maxWait());
        long sent = System.nanoTime();
        Answer answer = send(HttpRequest.newBuilder(uri("/lock")).timeout(timeout)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(request.json())));
        LockHeldException held = answer.status() == 409 ? LockHeldException.of(answer.json(), request) : null;
        if (held != null) {
            throw held;
        }
        return new HeldLock(this, LockInfo.of(answer.expect(201)), request.ttl(), sent, renewals);
    }

    /** The lock held under {@code id}; empty when none is (never taken, released, expired). */
    public Optional<LockInfo> get(String id) {
        Answer answer = send(HttpRequest.newBuilder(uri("/lock/" + encoded(id))).timeout(ANSWER_TIMEOUT).GET());
        return answer.status() == 404 ? Optional.empty() : Optional.of(LockInfo.of(answer.expect(200)));
    }

    /** Releases the lock held under {@code id}: true when it was released now, false when none was held. */
    public boolean release(String id) {
        Answer answer = send(HttpRequest.newBuilder(uri("/lock/" + encoded(id))).timeout(ANSWER_TIMEOUT).DELETE());
        if (answer.status() == 404) {
            return false;
        }
        answer.expect(200);
        return true;
    }

    /** Sets the lease of the lock held under {@code id} to end {@code ttl} from now; empty when none is held. */
    public Optional<LockInfo> renew(String id, Duration ttl) {
        Answer answer = send(HttpRequest.newBuilder(uri("/lock/" + encoded(id) + "/renew")).timeout(ANSWER_TIMEOUT)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(Json.object(Map.of("ttl", ttl.toMillis() + "ms")))));
        return answer.status() == 404 ? Optional.empty() : Optional.of(LockInfo.of(answer.expect(200)));
    }

    /** Every held lock the caller may see, oldest first (all pages). */
    public List<LockInfo> list() {
        List<LockInfo> locks = new ArrayList<>();
        for (int page = 1; ; page++) {
            Map<?, ?> json = send(HttpRequest.newBuilder(uri("/locks/list?per_page=1000&page=" + page))
                    .timeout(ANSWER_TIMEOUT).GET()).expect(200);
            List<?> items = json.get("locks") instanceof List<?> list ? list : List.of();
            items.forEach(item -> locks.add(LockInfo.of((Map<?, ?>) item)));
            long total = json.get("total") instanceof Number number ? number.longValue() : locks.size();
            if (items.isEmpty() || locks.size() >= total) {
                return locks;
            }
        }
    }

    /** The clients waiting for {@code service}'s keys, each key's line in the order it will be served. */
    public List<WaitingClient> queue(String service) {
        return queue(service, null, null);
    }

    /**
     * The clients waiting for {@code service}'s keys, each key's line in the order it will be served (position 1:
     * next). The server answers for its own instance's line: with several instances, ask each.
     *
     * @param environment null: every environment
     * @param resource    null: every resource
     */
    public List<WaitingClient> queue(String service, String environment, String resource) {
        StringBuilder query = new StringBuilder("/locks/queue?service=").append(encoded(service));
        if (environment != null) {
            query.append("&environment=").append(encoded(environment));
        }
        if (resource != null) {
            query.append("&resource=").append(encoded(resource));
        }
        Map<?, ?> json = send(HttpRequest.newBuilder(uri(query.toString())).timeout(ANSWER_TIMEOUT).GET())
                .expect(200);
        List<WaitingClient> waiting = new ArrayList<>();
        if (json.get("waiters") instanceof List<?> listed) {
            for (Object waiter : listed) {
                if (waiter instanceof Map<?, ?> client) {
                    waiting.add(WaitingClient.of(client));
                }
            }
        }
        return waiting;
    }

    /** Stops the renewals of every lock this client handed out (they are not released: close those first). */
    @Override
    public void close() {
        renewals.shutdownNow();
    }

    private URI uri(String path) {
        return URI.create(server + API + path);
    }

    /** A path segment or query value, percent-encoded (a space as %20, which both read as a space). */
    private static String encoded(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
    }

    private Answer send(HttpRequest.Builder request) {
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        HttpResponse<String> response;
        try {
            response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException unreachable) {
            throw new LockServerException("cannot reach the lock server at " + server + ": "
                    + (unreachable instanceof java.net.ConnectException ? "connection refused"
                            : unreachable.getMessage() == null ? unreachable.getClass().getSimpleName()
                            : unreachable.getMessage()), unreachable);
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
            throw new LockServerException("interrupted while calling the lock server at " + server, interrupted);
        }
        Map<?, ?> json;
        try {
            json = Json.parse(response.body()) instanceof Map<?, ?> object ? object : Map.of();
        } catch (IllegalArgumentException notJson) {
            json = Map.of();
        }
        return new Answer(server, response.statusCode(), json);
    }

    /** A status and the JSON object of an answer (empty when it had none). */
    private record Answer(URI server, int status, Map<?, ?> json) {

        Map<?, ?> expect(int expected) {
            if (status == expected) {
                return json;
            }
            if (json.isEmpty()) {
                // Not the API's JSON: a proxy's page, another service on that port, a wrong address.
                throw new LockServerException("no Tracker Locks API answered at " + server + API + " (HTTP " + status
                        + ")", null);
            }
            String error = json.get("error") == null ? "no error given" : json.get("error").toString();
            if (status >= 500 || status == 429 || status < 200) {
                throw new LockServerException("the lock server at " + server + " failed: " + error + " (HTTP "
                        + status + ")", null);
            }
            throw new LockRejectedException(status, error);
        }
    }

    /** How to reach the server: its address, and optionally a bearer token and the CA of its TLS certificate. */
    public static final class Builder {

        private final URI server;
        private String token;
        private SSLContext tls;
        private Duration connectTimeout = Duration.ofSeconds(5);

        private Builder(URI server) {
            this.server = server;
        }

        /** The bearer token the server's tokens file knows (README, Security). */
        public Builder token(String bearerToken) {
            this.token = bearerToken == null || bearerToken.isBlank() ? null : bearerToken.strip();
            return this;
        }

        /** Trust the server's certificate by this PEM CA file (for an {@code https://} server). */
        public Builder caFile(Path pem) {
            try (InputStream in = Files.newInputStream(pem)) {
                KeyStore trusted = KeyStore.getInstance(KeyStore.getDefaultType());
                trusted.load(null, null);
                int n = 0;
                for (Certificate certificate : CertificateFactory.getInstance("X.509").generateCertificates(in)) {
                    trusted.setCertificateEntry("ca-" + n++, certificate);
                }
                TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
                trust.init(trusted);
                SSLContext context = SSLContext.getInstance("TLS");
                context.init(null, trust.getTrustManagers(), null);
                this.tls = context;
                return this;
            } catch (IOException | GeneralSecurityException unusable) {
                throw new IllegalArgumentException("cannot use CA file " + pem + ": " + unusable.getMessage(),
                        unusable);
            }
        }

        public Builder connectTimeout(Duration timeout) {
            this.connectTimeout = timeout;
            return this;
        }

        public LockClient build() {
            return new LockClient(this);
        }
    }
}
