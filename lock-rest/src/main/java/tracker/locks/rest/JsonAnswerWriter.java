package tracker.locks.rest;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectWriter;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.MultivaluedMap;
import jakarta.ws.rs.ext.MessageBodyWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.lang.annotation.Annotation;
import java.lang.reflect.Type;
import java.util.Map;

/**
 * Writes the API's answers ({@link JsonAnswer}s) with one prepared Jackson writer; {@link ForMaps} the error bodies.
 *
 * <p>Why not Jackson's own JAX-RS provider: it looks its writer up under a key made of the resource method's
 * annotations, hashing every annotation on every response — and the OpenAPI annotations on {@link LockResource}
 * are deep (responses, contents, schemas, examples), so that hash took about a tenth of the server's processor
 * time per REST request (async-profiler, docs/benchmarks.md). These answers need none of what the annotations could
 * configure. Each writer is declared for the answers' own type, nearer to them than Jackson's {@code Object}, so
 * JAX-RS picks it over Jackson's whatever the order they were registered in.
 */
@Produces(MediaType.APPLICATION_JSON)
public final class JsonAnswerWriter implements MessageBodyWriter<JsonAnswer> {

    private final ObjectWriter writer;

    public JsonAnswerWriter(ObjectMapper mapper) {
        this.writer = writerOf(mapper);
    }

    @Override
    public boolean isWriteable(Class<?> type, Type genericType, Annotation[] annotations, MediaType mediaType) {
        return JsonAnswer.class.isAssignableFrom(type) && MediaType.APPLICATION_JSON_TYPE.isCompatible(mediaType);
    }

    @Override
    public void writeTo(JsonAnswer answer, Class<?> type, Type genericType, Annotation[] annotations,
                        MediaType mediaType, MultivaluedMap<String, Object> headers, OutputStream entity)
            throws IOException, WebApplicationException {
        write(writer, answer, headers, entity);
    }

    /** The error bodies ({@link RestErrorMapper}, {@link JsonOptionsAnswer}): maps of their fields. */
    @Produces(MediaType.APPLICATION_JSON)
    public static final class ForMaps implements MessageBodyWriter<Map<?, ?>> {

        private final ObjectWriter writer;

        public ForMaps(ObjectMapper mapper) {
            this.writer = writerOf(mapper);
        }

        @Override
        public boolean isWriteable(Class<?> type, Type genericType, Annotation[] annotations, MediaType mediaType) {
            return Map.class.isAssignableFrom(type) && MediaType.APPLICATION_JSON_TYPE.isCompatible(mediaType);
        }

        @Override
        public void writeTo(Map<?, ?> answer, Class<?> type, Type genericType, Annotation[] annotations,
                            MediaType mediaType, MultivaluedMap<String, Object> headers, OutputStream entity)
                throws IOException, WebApplicationException {
            write(writer, answer, headers, entity);
        }
    }

    private static ObjectWriter writerOf(ObjectMapper mapper) {
        // The entity stream is the container's to close.
        return mapper.writer().without(JsonGenerator.Feature.AUTO_CLOSE_TARGET);
    }

    private static void write(ObjectWriter writer, Object answer, MultivaluedMap<String, Object> headers,
                              OutputStream entity) throws IOException {
        // Jersey's own way to a Content-Length buffers every response in a new 8 KB array (turned off by the
        // application, ServerProperties.OUTBOUND_CONTENT_LENGTH_BUFFER = 0); an answer is a few hundred bytes, and
        // its length is known once written.
        byte[] json = writer.writeValueAsBytes(answer);
        headers.putSingle(HttpHeaders.CONTENT_LENGTH, json.length);
        entity.write(json);
    }
}
