package tracker.locks.rest;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import jakarta.ws.rs.core.Response;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Reads request bodies as JSON objects by hand rather than binding them, so that every problem, from a missing body
 * to a number where a string belongs, is answered with a message naming it. Unknown fields are ignored.
 */
final class JsonBody {

    /** Far above any valid request (a few fields of at most 255 characters), far below anything harmful. */
    static final int MAX_BYTES = 64 * 1024;
    private static final int FIRST_READ = 512;

    private final ObjectReader reader;

    JsonBody(ObjectMapper mapper) {
        // Decimals as written, not as the nearest double: 999.99999999999999999 is no whole number, and
        // 86400.0001 s is more than 24 hours; a double made them 1000 and 24h (found by a user trial).
        this.reader = mapper.reader()
                .with(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
                .with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
                .with(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);
    }

    /** The body's JSON object; a body that is empty or not an object is refused. */
    JsonNode requiredObject(InputStream body) {
        JsonNode json = parse(readBounded(body));
        if (json == null || !json.isObject()) {
            throw RestRequestException.badRequest(
                    "request body must be a JSON object such as {\"service\":\"...\",\"who\":\"...\"}");
        }
        return json;
    }

    /** The body's JSON object, or null for an empty body; anything else is refused. */
    JsonNode optionalObject(InputStream body) {
        JsonNode json = parse(readBounded(body));
        if (json != null && !json.isObject()) {
            throw RestRequestException.badRequest("request body must be empty or a JSON object");
        }
        return json;
    }

    /** A string field's value, null when absent or JSON null; any other JSON type is refused. */
    static String text(JsonNode json, String field) {
        JsonNode value = json.get(field);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isTextual()) {
            throw RestRequestException.badField(field,
                    field + " must be a string, got " + value.getNodeType().name().toLowerCase());
        }
        return value.textValue();
    }

    /**
     * A whole-number field's value, null when absent or JSON null; a fraction, a string or a number beyond an int is
     * refused naming the field.
     */
    static Integer wholeNumber(JsonNode json, String field) {
        JsonNode value = json.get(field);
        if (value == null || value.isNull()) {
            return null;
        }
        // Read as written (USE_BIG_DECIMAL_FOR_FLOATS), so 1e400 is a number, merely out of range, and no
        // arithmetic below grows with an exponent: stripping zeros and the exact int conversion look at digits only.
        java.math.BigDecimal number = value.isNumber() ? value.decimalValue() : null;
        if (number == null || number.stripTrailingZeros().scale() > 0) {
            throw RestRequestException.badField(field, field + " must be a whole number, got "
                    + (value.isNumber() ? value.asText() : value.getNodeType().name().toLowerCase()));
        }
        try {
            return number.intValueExact(); // 2.0 and 1e3 are whole numbers too
        } catch (ArithmeticException beyondAnInt) {
            throw RestRequestException.badField(field, field + " is out of range, got " + value.asText());
        }
    }

    private static String readBounded(InputStream body) {
        try {
            byte[] bytes = readAtMost(body, MAX_BYTES + 1);
            if (bytes.length > MAX_BYTES) {
                throw new RestRequestException(Response.Status.REQUEST_ENTITY_TOO_LARGE, null,
                        "request body is larger than " + MAX_BYTES + " bytes");
            }
            return strictUtf8(bytes);
        } catch (IOException e) {
            // The connection broke the body off: a Content-Length longer than what came, or chunked framing that
            // does not parse. The client's fault, and the client should hear it, not a 500.
            throw RestRequestException.badRequest(
                    "request body could not be read: it ended early or its chunked framing is broken");
        }
    }

    /**
     * At most {@code limit} bytes of {@code in}, into a buffer that starts small and doubles: a lock's body is a few
     * dozen bytes, and {@code readNBytes} allocated 8 KB for each (a tenth of the bytes a REST request allocated).
     */
    static byte[] readAtMost(InputStream in, int limit) throws IOException {
        byte[] buffer = new byte[Math.min(FIRST_READ, limit)];
        int length = 0;
        while (true) {
            if (length == buffer.length) {
                if (length == limit) {
                    return buffer;
                }
                buffer = Arrays.copyOf(buffer, Math.min(limit, buffer.length * 2));
            }
            int read = in.read(buffer, length, buffer.length - length);
            if (read < 0) {
                return length == buffer.length ? buffer : Arrays.copyOf(buffer, length);
            }
            length += read;
        }
    }

    /**
     * The body as text. Decoded here, strictly, and not by Jackson: Jackson reads overlong forms (0xC0 0xAF for "/")
     * as if they were characters, and guesses UTF-16 or UTF-32 from the first bytes (NULs), which would let a body
     * past this check that is not UTF-8 at all, lone surrogates included.
     */
    private static String strictUtf8(byte[] bytes) {
        CharsetDecoder strict = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer in = ByteBuffer.wrap(bytes);
        CharBuffer out = CharBuffer.allocate(bytes.length);
        CoderResult result = strict.decode(in, out, true);
        if (result.isUnderflow()) {
            result = strict.flush(out);
        }
        if (result.isError()) {
            throw RestRequestException.badRequest("request body is not valid UTF-8 at byte " + in.position());
        }
        String text = out.flip().toString();
        return text.startsWith("\ufeff") ? text.substring(1) : text; // a byte order mark is allowed, and ignored
    }

    private JsonNode parse(String text) {
        try {
            JsonNode json = text.isEmpty() ? null : reader.readTree(text);
            return json == null || json.isMissingNode() ? null : json;
        } catch (JsonProcessingException e) {
            String where = e.getLocation() == null ? ""
                    : " at line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr();
            throw RestRequestException.badRequest("malformed JSON" + where + ": " + e.getOriginalMessage());
        } catch (IOException e) {
            // Reading from a byte array fails only as malformed content; Jackson reports that as a parse problem.
            throw RestRequestException.badRequest("malformed JSON: " + e.getMessage());
        } catch (NumberFormatException e) {
            // A decimal whose exponent does not fit a BigDecimal's int scale (1e-2147483649): Jackson throws it bare.
            throw RestRequestException.badRequest("malformed JSON: a number's exponent is out of range");
        }
    }
}
