package tracker.locks.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * The server over REST: each client thread on a keep-alive HTTP/1.1 connection of its own ({@link Http1Connection}),
 * opened on its first request and kept for the whole run. A connection that failed is replaced.
 */
final class Http1RestTarget implements LoadTarget {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final String host;
    private final int port;
    private final ThreadLocal<Http1Connection> connection = new ThreadLocal<>();
    private final Queue<Http1Connection> opened = new ConcurrentLinkedQueue<>();

    Http1RestTarget(String host, int port) {
        this.host = host;
        this.port = port;
    }

    @Override
    public String acquire(String service, String environment, String who) throws Exception {
        // The names are the benchmark's own plain ASCII, so no escaping is needed.
        String body = "{\"service\":\"" + service + "\",\"environment\":\"" + environment
                + "\",\"who\":\"" + who + "\"}";
        Http1Connection.Response response = exchange("POST", "/api/v1alpha1/lock", body);
        if (response.status() == 201) {
            JsonNode id = JSON.readTree(response.body()).get("id");
            if (id == null || !id.isTextual()) {
                throw new IllegalStateException("201 without an id: " + abbreviate(response.body()));
            }
            return id.asText();
        }
        if (response.status() == 409) {
            return null;
        }
        throw new IllegalStateException("POST /lock answered " + response.status() + ": "
                + abbreviate(response.body()));
    }

    @Override
    public void release(String id) throws Exception {
        Http1Connection.Response response = exchange("DELETE", "/api/v1alpha1/lock/" + id, null);
        if (response.status() != 200) {
            throw new IllegalStateException("DELETE /lock/" + id + " answered " + response.status() + ": "
                    + abbreviate(response.body()));
        }
    }

    private Http1Connection.Response exchange(String method, String path, String body) throws IOException {
        Http1Connection mine = connection.get();
        if (mine == null) {
            mine = new Http1Connection(host, port);
            opened.add(mine);
            connection.set(mine);
        }
        try {
            return mine.exchange(method, path, body);
        } catch (IOException | RuntimeException e) {
            connection.remove(); // in an unknown state: the next request opens a new one
            mine.close();
            throw e;
        }
    }

    @Override
    public void close() {
        for (Http1Connection open : opened) {
            try {
                open.close();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    private static String abbreviate(String body) {
        return body.length() <= 200 ? body : body.substring(0, 200) + "...";
    }
}
