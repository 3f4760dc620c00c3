package tracker.locks.bench;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The benchmark's HTTP/1.1 client against the JDK's HTTP server: bodies both ways, one connection throughout. */
class Http1ConnectionTest {

    private HttpServer server;

    @BeforeEach
    void startServer() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/echo", exchange -> {
            byte[] request = exchange.getRequestBody().readAllBytes();
            byte[] answer = (exchange.getRequestMethod() + " " + new String(request, StandardCharsets.UTF_8)
                    + " \u2713").getBytes(StandardCharsets.UTF_8);
            boolean chunked = exchange.getRequestURI().getQuery() != null;
            exchange.sendResponseHeaders(201, chunked ? 0 : answer.length);
            try (OutputStream body = exchange.getResponseBody()) {
                body.write(answer, 0, 3);
                body.flush();
                body.write(answer, 3, answer.length - 3);
            }
        });
        server.createContext("/empty", exchange -> {
            exchange.getRequestBody().readAllBytes();
            exchange.sendResponseHeaders(409, -1);
            exchange.close();
        });
        server.start();
    }

    @AfterEach
    void stopServer() {
        server.stop(0);
    }

    @Test
    void exchangesRequestsAndResponsesWithEitherFramingOnOneConnection() throws IOException {
        try (Http1Connection connection = new Http1Connection("127.0.0.1", server.getAddress().getPort())) {
            assertThat(connection.exchange("POST", "/echo", "{\"a\":1}"))
                    .isEqualTo(new Http1Connection.Response(201, "POST {\"a\":1} \u2713"));
            assertThat(connection.exchange("POST", "/echo?chunked", "{\"b\":2}"))
                    .isEqualTo(new Http1Connection.Response(201, "POST {\"b\":2} \u2713"));
            assertThat(connection.exchange("DELETE", "/echo", null))
                    .isEqualTo(new Http1Connection.Response(201, "DELETE  \u2713"));
            assertThat(connection.exchange("DELETE", "/empty", null))
                    .isEqualTo(new Http1Connection.Response(409, ""));
        }
    }
}
