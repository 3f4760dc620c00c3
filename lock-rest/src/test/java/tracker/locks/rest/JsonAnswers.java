package tracker.locks.rest;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Iterator;
import tracker.locks.domain.model.LockFields;

/**
 * What every answer of the REST API must be, whatever it was sent: a 2xx or a 4xx, never a 5xx; JSON in strict
 * UTF-8 that jq can read back (no overlong forms, no unpaired surrogates, no duplicate keys); and for a 4xx an
 * {@code error} naming the problem. Shared by the fuzzing tests here and the end-to-end ones in lock-app.
 */
public final class JsonAnswers {

    private static final ObjectReader STRICT = new ObjectMapper().reader()
            .with(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            .with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    private JsonAnswers() {
    }

    /** Asserts the answer is a 2xx or 4xx in JSON (an error with its message for a 4xx) and returns its body. */
    public static JsonNode requireAnswered(int status, String contentType, byte[] body, String request) {
        assertThat(status).as("status of %s", request).isBetween(200, 499);
        assertThat(contentType).as("Content-Type of the %d answer to %s", status, request)
                .startsWith("application/json");
        JsonNode json = requireStrictJson(body, request);
        if (status >= 400) {
            assertThat(json.path("error").isTextual()).as("%d answer to %s names its error: %s", status, request,
                    json).isTrue();
            assertThat(json.path("error").textValue()).as("error of %s", request).isNotBlank();
        }
        return json;
    }

    /** Asserts {@code body} is one JSON object or array in strict UTF-8 with only valid Unicode in its strings. */
    public static JsonNode requireStrictJson(byte[] body, String request) {
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(body)).toString();
        } catch (CharacterCodingException e) {
            throw new AssertionError("the answer to " + request + " is not valid UTF-8: " + hex(body), e);
        }
        JsonNode json;
        try {
            json = STRICT.readTree(text); // not the bytes: Jackson would guess UTF-16 from NULs
        } catch (IOException e) {
            throw new AssertionError("the answer to " + request + " is not JSON: "
                    + new String(body, StandardCharsets.UTF_8), e);
        }
        assertThat(json != null && json.isContainerNode()).as("the answer to %s is a JSON object: %s", request,
                json).isTrue();
        requireValidUnicode(json, request);
        return json;
    }

    /** True when {@code text} holds a surrogate that is not half of a pair (which no UTF-8 can carry). */
    public static boolean hasUnpairedSurrogate(String text) {
        return LockFields.unpairedSurrogate(text) >= 0;
    }

    private static void requireValidUnicode(JsonNode json, String request) {
        if (json.isTextual()) {
            assertThat(hasUnpairedSurrogate(json.textValue())).as("the answer to %s has an unpaired surrogate: %s",
                    request, json).isFalse();
        }
        for (Iterator<String> names = json.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            assertThat(hasUnpairedSurrogate(name)).as("a field name of the answer to %s", request).isFalse();
            requireValidUnicode(json.get(name), request);
        }
        if (json.isArray()) {
            json.forEach(element -> requireValidUnicode(element, request));
        }
    }

    private static String hex(byte[] bytes) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < Math.min(bytes.length, 200); i++) {
            out.append(String.format("%02x", bytes[i]));
        }
        return out.toString();
    }
}
