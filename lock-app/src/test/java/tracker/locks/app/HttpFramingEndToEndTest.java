package tracker.locks.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.dropwizard.testing.DropwizardTestSupport;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import tracker.locks.rest.FuzzCorpus;
import tracker.locks.rest.JsonAnswers;

/**
 * Broken HTTP framing and bodies against the real server (Jetty, Jersey, the mapper) over a raw socket, where no
 * HTTP client tidies the request up: chunk sizes that do not parse or lie, bodies cut short, repeated and
 * contradictory headers, other charsets and encodings, and the fuzzing corpus's bodies. Every one is answered with
 * a 4xx in JSON naming the problem, and none leaves a lock held.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class HttpFramingEndToEndTest {

    /** As curl sends it: Accept: *\/* is where Jetty, left to itself, answers its errors with an HTML page. */
    private static final String LOCK = "POST /api/v1alpha1/lock HTTP/1.1\r\nHost: localhost\r\nAccept: */*\r\n";
    private static final String BODY = "{\"service\":\"framing\",\"who\":\"raw\"}";

    private DropwizardTestSupport<TrackerConfiguration> server;

    @BeforeAll
    void startServer(@TempDir Path dataDirectory) throws Exception {
        server = TrackerServers.on(TrackerServers.h2File(dataDirectory));
        server.before();
    }

    @AfterAll
    void stopServer() {
        server.after();
    }

    static Map<String, String> brokenRequests() {
        Map<String, String> cases = new LinkedHashMap<>();
        String chunked = LOCK + "Content-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n";
        cases.put("a chunk size that is not hex", chunked + "zz\r\n" + BODY + "\r\n0\r\n\r\n");
        cases.put("a chunk size beyond a long", chunked + "ffffffffffffffffffff\r\n" + BODY + "\r\n0\r\n\r\n");
        cases.put("a chunk longer than the data, then the end", chunked + "400\r\n" + BODY);
        cases.put("chunks without the last one", chunked + "5\r\n{\"ser\r\n");
        cases.put("a negative chunk size", chunked + "-5\r\n" + BODY + "\r\n0\r\n\r\n");
        String json = LOCK + "Content-Type: application/json\r\n";
        cases.put("a body shorter than its Content-Length", json + "Content-Length: 100\r\n\r\n" + BODY);
        cases.put("a Content-Length that is not a number", json + "Content-Length: 1x\r\n\r\n" + BODY);
        cases.put("a negative Content-Length", json + "Content-Length: -1\r\n\r\n" + BODY);
        cases.put("two different Content-Lengths", json + "Content-Length: " + BODY.length()
                + "\r\nContent-Length: 5\r\n\r\n" + BODY);
        cases.put("Content-Length and chunked together", json + "Content-Length: 5\r\nTransfer-Encoding: chunked\r\n"
                + "\r\n" + Integer.toHexString(BODY.length()) + "\r\n" + BODY + "\r\n0\r\n\r\n");
        cases.put("an unknown Transfer-Encoding", json + "Transfer-Encoding: zip\r\n\r\n" + BODY);
        cases.put("two Content-Types", LOCK + "Content-Type: application/json\r\nContent-Type: text/xml\r\n"
                + length(BODY) + BODY);
        cases.put("a Latin-1 body", LOCK + "Content-Type: application/json; charset=ISO-8859-1\r\n" + length(BODY)
                + BODY);
        cases.put("a charset that does not exist", LOCK + "Content-Type: application/json; charset=foo\r\n"
                + length(BODY) + BODY);
        cases.put("a gzip Content-Encoding on a plain body", json + "Content-Encoding: gzip\r\n" + length(BODY)
                + BODY);
        cases.put("a malformed Content-Type", LOCK + "Content-Type: application/json; charset=\r\n" + length(BODY)
                + BODY);
        cases.put("a header line without a colon", json + "Broken header line\r\n" + length(BODY) + BODY);
        cases.put("an unknown method", "FOO /api/v1alpha1/lock HTTP/1.1\r\nHost: localhost\r\nAccept: */*\r\n\r\n");
        cases.put("an unknown method, asking for plain text",
                "FOO /api/v1alpha1/lock HTTP/1.1\r\nHost: localhost\r\nAccept: text/plain\r\n\r\n");
        cases.put("TRACE", "TRACE /api/v1alpha1/lock HTTP/1.1\r\nHost: localhost\r\nAccept: text/html\r\n\r\n");
        cases.put("a malformed Accept", json + "Accept: ,,,\r\n" + length(BODY) + BODY);
        cases.put("a Content-Type that is not a media type", LOCK + "Content-Type: ;;;\r\n" + length(BODY) + BODY);
        cases.put("a UTF-16 body", LOCK + "Content-Type: application/json\r\nContent-Length: "
                + BODY.getBytes(StandardCharsets.UTF_16LE).length + "\r\n\r\n"
                + new String(BODY.getBytes(StandardCharsets.UTF_16LE), StandardCharsets.ISO_8859_1));
        return cases;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("brokenFramings")
    void brokenFramingIsAnswered4xxInJson(String name, String request) throws IOException {
        Raw answer = send(request.getBytes(StandardCharsets.ISO_8859_1));

        JsonAnswers.requireAnswered(answer.status, answer.header("content-type"), answer.body, name);
        assertThat(answer.status).as(name).isBetween(400, 499);
        assertThat(heldLocks()).as("locks held after %s", name).isZero();
    }

    static java.util.stream.Stream<org.junit.jupiter.params.provider.Arguments> brokenFramings() {
        return brokenRequests().entrySet().stream()
                .map(entry -> org.junit.jupiter.params.provider.Arguments.of(entry.getKey(), entry.getValue()));
    }

    /** The corpus of bodies the fuzzers keep, through the real server: a 2xx or 4xx in JSON, each released. */
    @ParameterizedTest(name = "corpus body {index}")
    @MethodSource("corpusBodies")
    void everyCorpusBodyIsAnsweredInJson(byte[] body) throws IOException {
        ByteArrayOutputStream request = new ByteArrayOutputStream();
        request.writeBytes((LOCK + "Content-Type: application/json\r\nContent-Length: " + body.length
                + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        request.writeBytes(body);

        Raw answer = send(request.toByteArray());

        var json = JsonAnswers.requireAnswered(answer.status, answer.header("content-type"), answer.body,
                new String(body, StandardCharsets.ISO_8859_1));
        if (answer.status == 201) {
            new Http(server.getLocalPort()).delete("/api/v1alpha1/lock/" + json.get("id").asText());
        }
        assertThat(heldLocks()).isZero();
    }

    /**
     * Answers are written whole with their length (JsonAnswerWriter sets it; Jersey's own length buffer is off), so a
     * client reading them needs no chunked decoding, whether the answer is a lock or a list of 12 KB.
     */
    @org.junit.jupiter.api.Test
    void answersCarryTheirContentLength() throws IOException {
        Http http = new Http(server.getLocalPort());
        java.util.List<String> ids = new java.util.ArrayList<>();
        try {
            Raw created = send((LOCK + "Content-Type: application/json\r\nConnection: close\r\n" + length(BODY)
                    + BODY).getBytes(StandardCharsets.UTF_8));
            assertThat(created.status).isEqualTo(201);
            ids.add(JsonAnswers.requireAnswered(created.status, created.header("content-type"), created.body, "lock")
                    .get("id").asText());
            for (int i = 0; i < 60; i++) {
                ids.add(http.post("/api/v1alpha1/lock", "{\"service\":\"framing-" + i + "\",\"who\":\""
                        + "a-pipeline-with-a-long-name-".repeat(3) + i + "\"}").text("id"));
            }
            Raw list = send(("GET /api/v1alpha1/locks/list HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));

            for (Raw answer : java.util.List.of(created, list)) {
                assertThat(answer.header("transfer-encoding")).isEmpty();
                assertThat(answer.header("content-length")).isEqualTo(Integer.toString(answer.body.length));
            }
            assertThat(list.body.length).as("larger than Jersey's length buffer was").isGreaterThan(8192);
        } finally {
            ids.forEach(id -> http.delete("/api/v1alpha1/lock/" + id));
        }
    }

    static java.util.List<byte[]> corpusBodies() {
        return FuzzCorpus.load("rest-bodies.txt");
    }

    private int heldLocks() {
        return new Http(server.getLocalPort()).get("/api/v1alpha1/locks/list").json().get("total").asInt();
    }

    private static String length(String body) {
        return "Content-Length: " + body.getBytes(StandardCharsets.UTF_8).length + "\r\n\r\n";
    }

    /** Writes the request, ends the sending half (a body cut short stays short), and reads the answer to the end. */
    private Raw send(byte[] request) throws IOException {
        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), server.getLocalPort())) {
            socket.setSoTimeout(15_000);
            OutputStream out = socket.getOutputStream();
            out.write(request);
            out.flush();
            socket.shutdownOutput();
            return Raw.read(socket.getInputStream());
        }
    }

    /** An HTTP/1.1 answer as it came off the socket. */
    private record Raw(int status, Map<String, String> headers, byte[] body) {

        String header(String name) {
            return headers.getOrDefault(name, "");
        }

        static Raw read(InputStream in) throws IOException {
            byte[] all = in.readAllBytes();
            String text = new String(all, StandardCharsets.ISO_8859_1);
            int end = text.indexOf("\r\n\r\n");
            assertThat(end).as("an HTTP answer: %s", text).isPositive();
            String[] lines = text.substring(0, end).split("\r\n");
            int status = Integer.parseInt(lines[0].split(" ")[1]);
            Map<String, String> headers = new LinkedHashMap<>();
            for (int i = 1; i < lines.length; i++) {
                int colon = lines[i].indexOf(':');
                headers.put(lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT),
                        lines[i].substring(colon + 1).trim());
            }
            byte[] body = java.util.Arrays.copyOfRange(all, end + 4, all.length);
            if (headers.getOrDefault("transfer-encoding", "").contains("chunked")) {
                body = unchunked(body);
            }
            return new Raw(status, headers, body);
        }

        private static byte[] unchunked(byte[] chunked) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            int at = 0;
            while (true) {
                int lineEnd = new String(chunked, StandardCharsets.ISO_8859_1).indexOf("\r\n", at);
                int size = Integer.parseInt(new String(chunked, at, lineEnd - at, StandardCharsets.ISO_8859_1)
                        .split(";")[0].trim(), 16);
                if (size == 0) {
                    return out.toByteArray();
                }
                out.write(chunked, lineEnd + 2, size);
                at = lineEnd + 2 + size + 2;
            }
        }
    }
}
