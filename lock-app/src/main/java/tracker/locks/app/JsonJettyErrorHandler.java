package tracker.locks.app;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.nio.ByteBuffer;
import java.util.Locale;
import java.util.Map;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.server.handler.ErrorHandler;

/**
 * Answers the errors Jetty raises before a request reaches Jersey (an undecodable URI, oversized headers) as JSON
 * with an {@code error} field, like every other error of the API, instead of Jetty's HTML page.
 */
final class JsonJettyErrorHandler extends ErrorHandler {

    private final ObjectMapper mapper;

    JsonJettyErrorHandler(ObjectMapper mapper) {
        this.mapper = mapper;
        setDefaultResponseMimeType("application/json");
        setShowStacks(false);
        setShowCauses(false);
    }

    /**
     * Jetty writes an error body only for GET, POST and HEAD; a request with another method (FOO, refused 405 by
     * Dropwizard's allowed-methods filter) would get an empty answer with no Content-Type. Every answer is JSON.
     */
    @Override
    public boolean errorPageForMethod(String method) {
        return true;
    }

    /**
     * JSON whatever the client accepts: Jetty would answer {@code Accept: *}{@code /*} (curl's default) with an HTML
     * page, and {@code text/plain} with text, which neither jq nor the API's other errors look like.
     */
    @Override
    protected boolean generateAcceptableResponse(Request request, Response response, Callback callback,
                                                 String contentType, List<Charset> charsets, int code, String message,
                                                 Throwable cause) throws IOException {
        return super.generateAcceptableResponse(request, response, callback, "application/json",
                List.of(StandardCharsets.UTF_8), code, message, cause);
    }

    @Override
    protected void writeErrorJson(Request request, PrintWriter writer, int code, String message, Throwable cause) {
        writer.write(json(code, message));
    }

    @Override
    public ByteBuffer badMessageError(int status, String reason, HttpFields.Mutable fields) {
        fields.put(new HttpField(HttpHeader.CONTENT_TYPE, "application/json"));
        return ByteBuffer.wrap(json(status, reason).getBytes(StandardCharsets.UTF_8));
    }

    private String json(int code, String message) {
        String error = message == null || message.isBlank() ? HttpStatus.getMessage(code) : message;
        try {
            return mapper.writeValueAsString(Map.of("error", error.toLowerCase(Locale.ROOT)));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            return "{\"error\":\"bad request\"}";
        }
    }
}
