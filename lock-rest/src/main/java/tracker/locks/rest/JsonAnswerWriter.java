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
 * Writes the API's answers (this package's JSON records, and the error bodies) with one prepared Jackson writer.
 *
 * <p>Why not Jackson's own JAX-RS provider: it looks its writer up under a key made of the resource method's
 * annotations, hashing every annotation on every response — and the OpenAPI annotations on {@link LockResource}
 * are deep (responses, contents, schemas, examples), so that hash took about a tenth of the server's processor
 * time per REST request (async-profiler, docs/benchmarks.md). These answers need none of what the annotations could
 * configure.
 */
@Produces(MediaType.APPLICATION_JSON)
public final class JsonAnswerWriter implements MessageBodyWriter<Object> {

    private static final String ANSWERS = JsonAnswerWriter.class.getPackageName();

    private final ObjectWriter writer;

    public JsonAnswerWriter(ObjectMapper mapper) {
        // The entity stream is the container's to close.
        this.writer = mapper.writer().without(JsonGenerator.Feature.AUTO_CLOSE_TARGET);
    }

    @Override
    public boolean isWriteable(Class<?> type, Type genericType, Annotation[] annotations, MediaType mediaType) {
        return (type.getPackageName().equals(ANSWERS) || Map.class.isAssignableFrom(type))
                && MediaType.APPLICATION_JSON_TYPE.isCompatible(mediaType);
    }

    @Override
    public void writeTo(Object answer, Class<?> type, Type genericType, Annotation[] annotations,
                        MediaType mediaType, MultivaluedMap<String, Object> headers, OutputStream entity)
            throws IOException, WebApplicationException {
        // Jersey's own way to a Content-Length buffers every response in a new 8 KB array (turned off by the
        // application, ServerProperties.OUTBOUND_CONTENT_LENGTH_BUFFER = 0); an answer is a few hundred bytes, and
        // its length is known once written.
        byte[] json = writer.writeValueAsBytes(answer);
        headers.putSingle(HttpHeaders.CONTENT_LENGTH, json.length);
        entity.write(json);
    }
}
