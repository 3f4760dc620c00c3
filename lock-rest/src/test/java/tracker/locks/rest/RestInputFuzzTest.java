package tracker.locks.rest;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.dropwizard.testing.junit5.ResourceExtension;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.ShrinkingMode;
import net.jqwik.api.Tuple;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.AfterTry;
import net.jqwik.api.lifecycle.BeforeContainer;
import tracker.locks.domain.testing.LockServices;
import tracker.locks.domain.testing.MutableClock;

/**
 * Fuzzes the REST API through the real resource, filter, error mapper and use cases (over the in-memory store, in a
 * real HTTP container): bodies of every family {@link FuzzedBodies} makes, declared charsets and encodings, query
 * parameters and path ids as raw percent-encoded bytes. Whatever is sent, the answer is a 2xx or 4xx in strict UTF-8
 * JSON; a lock granted reads back exactly as it was asked for; and nothing is held that was not acknowledged.
 * The seeds are fixed, so a run is repeatable; the corpus in {@code /fuzz/rest-bodies.txt} is replayed every run.
 */
class RestInputFuzzTest {

    private static final String API = "/api/v1alpha1";
    private static final List<byte[]> CORPUS = FuzzCorpus.load("rest-bodies.txt");

    /** Frozen, so that no lease granted during a try ends before the try reads it back. */
    private static final MutableClock CLOCK = new MutableClock(Instant.parse("2026-12-03T10:00:00Z"));

    private static ResourceExtension resources;
    private static HttpClient http;
    private static String base;

    private final Set<String> acknowledged = new HashSet<>();

    @BeforeContainer
    static void start() throws Throwable {
        resources = RestResources.over(LockServices.inMemory(CLOCK));
        resources.before();
        http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        String uri = resources.target("/").getUri().toString();
        base = uri.endsWith("/") ? uri.substring(0, uri.length() - 1) : uri;
    }

    @AfterContainer
    static void stop() throws Throwable {
        resources.after();
    }

    @Property(tries = 600, seed = "1818", shrinking = ShrinkingMode.BOUNDED)
    void anyCreateBodyIsAnsweredInJsonAndAGrantReadsBackAsAsked(@ForAll("createBodies") byte[] body,
                                                                 @ForAll("contentTypes") String contentType,
                                                                 @ForAll("contentEncodings") String encoding)
            throws Exception {
        Answer answer = send("POST", API + "/lock", body, contentType, encoding);

        boolean malformedType = contentType.endsWith("charset=") || !contentType.matches("\\p{ASCII}*");
        if (malformedType) {
            assertThat(answer.status).as("a malformed Content-Type: %s", answer.request).isEqualTo(400);
        } else if (refusesEncoding(contentType, encoding)) {
            assertThat(answer.status).as(answer.request).isEqualTo(415);
        }
        if (answer.status == 201) {
            String id = answer.json.get("id").asText();
            acknowledged.add(id);
            JsonNode asked = JsonAnswers.requireStrictJson(withoutByteOrderMark(body), "the accepted body "
                    + answer.request);
            JsonNode held = send("GET", API + "/lock/" + id, null, null, null).json;
            for (String field : FuzzedBodies.TEXT_FIELDS) {
                String value = asked.path(field).textValue();
                if (value != null && !value.isBlank()) {
                    assertThat(held.path(field).textValue()).as("%s of %s", field, answer.request).isEqualTo(value);
                }
            }
        }
    }

    @Example
    void everyCorpusBodyIsAnsweredInJson() throws Exception {
        for (byte[] body : CORPUS) {
            Answer answer = send("POST", API + "/lock", body, "application/json", null);
            if (answer.status == 201) {
                acknowledged.add(answer.json.get("id").asText());
            }
            releaseAcknowledged();
        }
    }

    @Property(tries = 200, seed = "1819", shrinking = ShrinkingMode.BOUNDED)
    void anyRenewalBodyIsAnsweredInJson(@ForAll("renewBodies") byte[] body) throws Exception {
        Answer created = send("POST", API + "/lock", FuzzedBodies.utf8("{\"service\":\"renewed\",\"who\":\"fuzz\"}"),
                "application/json", null);
        String id = created.json.get("id").asText();
        acknowledged.add(id);

        Answer renewed = send("POST", API + "/lock/" + id + "/renew", body, "application/json", null);

        assertThat(renewed.status).as(renewed.request).isIn(200, 400, 413);
        assertThat(send("GET", API + "/lock/" + id, null, null, null).status).as("the lock is still held").isEqualTo(200);
    }

    @Property(tries = 300, seed = "1820", shrinking = ShrinkingMode.BOUNDED)
    void anyQueryOrPathIsAnsweredInJson(@ForAll("reads") String target) throws Exception {
        send("GET", target, null, null, null);
    }

    @Property(tries = 100, seed = "1825", shrinking = ShrinkingMode.BOUNDED)
    void anyAcceptHeaderIsAnsweredInJson(@ForAll("acceptHeaders") String accept) throws Exception {
        HttpResponse<byte[]> response = http.send(HttpRequest.newBuilder(URI.create(base + API + "/locks/list"))
                .header("Accept", accept).GET().build(), HttpResponse.BodyHandlers.ofByteArray());
        String request = "GET /locks/list with Accept: " + accept;
        JsonAnswers.requireAnswered(response.statusCode(), response.headers().firstValue("Content-Type").orElse(""),
                response.body(), request);
        assertThat(response.statusCode()).as(request).isIn(200, 400, 406);
    }

    @Provide
    Arbitrary<String> acceptHeaders() {
        return Arbitraries.oneOf(
                Arbitraries.of("*/*", "application/json", "text/html", "text/plain", ",,,", "*/*;q=abc", "/",
                        "application/json;q=2", "text/html, */*;q=0.1", "application/", ";", "a/b; c"),
                Arbitraries.strings().withChars("abc/*;=,q. \"").ofMinLength(1).ofMaxLength(16));
    }

    @Property(tries = 150, seed = "1821", shrinking = ShrinkingMode.BOUNDED)
    void anyIdToReleaseOrRenewIsAnsweredInJson(@ForAll("rawBytes") String id, @ForAll("idVerbs") String verb)
            throws Exception {
        Answer answer = switch (verb) {
            case "renew" -> send("POST", API + "/lock/" + id + "/renew", new byte[0], null, null);
            case "unlock" -> send("GET", API + "/unlock/" + id, null, null, null);
            default -> send(verb, API + "/lock/" + id, null, null, null);
        };
        assertThat(answer.status).as(answer.request).isIn(400, 404);
    }

    /** The try's acknowledged locks are released, so that every try finds the keys free. */
    @AfterTry
    void nothingIsHeldThatWasNotAcknowledged() throws Exception {
        releaseAcknowledged();
    }

    private void releaseAcknowledged() throws Exception {
        JsonNode list = send("GET", API + "/locks/list?per_page=1000", null, null, null).json;
        Set<String> held = new HashSet<>();
        list.get("locks").forEach(lock -> held.add(lock.get("id").asText()));
        assertThat(acknowledged).as("locks held that no 201 acknowledged").containsAll(held);
        for (String id : held) {
            assertThat(send("DELETE", API + "/lock/" + id, null, null, null).status).isEqualTo(200);
        }
        acknowledged.clear();
    }

    @Provide
    Arbitrary<byte[]> createBodies() {
        return FuzzedBodies.createBodies(CORPUS);
    }

    @Provide
    Arbitrary<byte[]> renewBodies() {
        return FuzzedBodies.renewBodies();
    }

    @Provide
    Arbitrary<String> contentTypes() {
        return Arbitraries.frequencyOf(
                Tuple.of(12, Arbitraries.just("application/json")),
                Tuple.of(2, Arbitraries.of("application/json; charset=utf-8", "application/json;charset=\"UTF-8\"",
                        "text/plain", "application/x-www-form-urlencoded")),
                Tuple.of(2, Arbitraries.of("application/json; charset=ISO-8859-1", "application/json; charset=UTF-16",
                        "text/plain; charset=nonsense", "application/json; charset=", "application/json; charset=ut\u00e9")));
    }

    @Provide
    Arbitrary<String> contentEncodings() {
        return Arbitraries.frequencyOf(Tuple.of(16, Arbitraries.just("")),
                Tuple.of(1, Arbitraries.of("identity", "gzip", "br", "deflate, gzip", "x-unknown")));
    }

    @Provide
    Arbitrary<String> reads() {
        Arbitrary<String> value = Arbitraries.oneOf(rawBytes(),
                FuzzedBodies.number().map(RestInputFuzzTest::percentEncoded),
                FuzzedBodies.text().map(RestInputFuzzTest::percentEncoded));
        Arbitrary<String> parameter = Arbitraries.of("page", "per_page", "service", "environment", "resource",
                "colour").flatMap(name -> value.map(v -> name + "=" + v));
        Arbitrary<String> query = parameter.list().ofMinSize(1).ofMaxSize(4).map(list -> String.join("&", list));
        Arbitrary<String> listing = Arbitraries.of("/locks/list", "/locks/history", "/locks/queue")
                .flatMap(path -> query.map(q -> API + path + "?" + q));
        Arbitrary<String> byId = Arbitraries.of("/lock/", "/lock/%s/history")
                .flatMap(path -> rawBytes().map(id -> API + (path.contains("%s") ? path.formatted(id) : path + id)));
        return Arbitraries.oneOf(listing, byId);
    }

    @Provide
    Arbitrary<String> idVerbs() {
        return Arbitraries.of("GET", "DELETE", "unlock", "renew");
    }

    /** Any bytes, each percent-encoded: invalid UTF-8, controls, slashes and all. */
    @Provide
    Arbitrary<String> rawBytes() {
        return Arbitraries.bytes().array(byte[].class).ofMinSize(1).ofMaxSize(40).map(bytes -> {
            StringBuilder out = new StringBuilder();
            for (byte b : bytes) {
                out.append(String.format("%%%02X", b & 0xff));
            }
            return out.toString();
        });
    }

    /** A leading UTF-8 byte order mark is allowed in a body, and not part of its JSON. */
    private static byte[] withoutByteOrderMark(byte[] body) {
        boolean marked = body.length >= 3 && (body[0] & 0xff) == 0xef && (body[1] & 0xff) == 0xbb
                && (body[2] & 0xff) == 0xbf;
        return marked ? java.util.Arrays.copyOfRange(body, 3, body.length) : body;
    }

    private static String percentEncoded(String text) {
        StringBuilder out = new StringBuilder();
        for (byte b : FuzzedBodies.utf8(text)) {
            out.append(String.format("%%%02X", b & 0xff));
        }
        return out.toString();
    }

    private static boolean refusesEncoding(String contentType, String encoding) {
        String type = contentType.toLowerCase(Locale.ROOT).replace("\"", "");
        boolean otherCharset = type.contains("charset=") && !type.contains("charset=utf-8");
        return otherCharset || !(encoding.isEmpty() || encoding.equals("identity"));
    }

    /** Sends the request and checks what every answer must be, whatever the request. */
    private static Answer send(String method, String target, byte[] body, String contentType, String encoding)
            throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + target))
                .timeout(Duration.ofSeconds(30))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofByteArray(body));
        if (contentType != null) {
            request.header("Content-Type", contentType);
        }
        if (encoding != null && !encoding.isEmpty()) {
            request.header("Content-Encoding", encoding);
        }
        HttpResponse<byte[]> response = http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
        String description = method + " " + target + (body == null ? ""
                : " with " + contentType + " " + (encoding == null ? "" : encoding) + " body "
                + new String(body, StandardCharsets.ISO_8859_1));
        JsonNode json = JsonAnswers.requireAnswered(response.statusCode(),
                response.headers().firstValue("Content-Type").orElse(""), response.body(), description);
        return new Answer(response.statusCode(), json, description);
    }

    private record Answer(int status, JsonNode json, String request) {
    }
}
