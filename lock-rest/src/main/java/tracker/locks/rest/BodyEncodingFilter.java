package tracker.locks.rest;

import jakarta.ws.rs.ProcessingException;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.container.PreMatching;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.Provider;
import java.nio.charset.Charset;
import java.nio.charset.IllegalCharsetNameException;
import java.nio.charset.StandardCharsets;
import java.nio.charset.UnsupportedCharsetException;
import java.util.Locale;

/**
 * Refuses, before any body is read, bodies the API would otherwise misread (and malformed Content-Type and Accept
 * headers, with an error in JSON): JSON is UTF-8 (RFC 8259, section 8.1),
 * so a body declared in another charset would be decoded wrongly, and a compressed body would be parsed as if it
 * were plain. Both are answered 415 naming what was declared.
 */
@Provider
@PreMatching // before Jersey matches a method by Content-Type, which would refuse a malformed one without the mapper
public final class BodyEncodingFilter implements ContainerRequestFilter {

    @Override
    public void filter(ContainerRequestContext request) {
        requireReadableAccept(request);
        refuseOtherCharsets(mediaType(request.getHeaderString(HttpHeaders.CONTENT_TYPE)));
        refuseCompression(request.getHeaderString(HttpHeaders.CONTENT_ENCODING));
    }

    /** Jersey too would refuse a malformed Accept header with an empty 400, out of the mapper's reach. */
    private static void requireReadableAccept(ContainerRequestContext request) {
        try {
            request.getAcceptableMediaTypes();
        } catch (IllegalArgumentException | ProcessingException malformed) {
            throw RestRequestException.badRequest("the Accept header is malformed: "
                    + printable(String.valueOf(request.getHeaderString(HttpHeaders.ACCEPT))));
        }
    }

    /** Parsed here rather than by Jersey, which answers a malformed one with an empty 400 the mapper never sees. */
    private static MediaType mediaType(String header) {
        if (header == null || header.isBlank()) {
            return null;
        }
        try {
            return MediaType.valueOf(header);
        } catch (IllegalArgumentException | ProcessingException malformed) {
            throw RestRequestException.badRequest("the Content-Type header is malformed: " + printable(header));
        }
    }

    private static void refuseOtherCharsets(MediaType type) {
        String declared = type == null ? null : type.getParameters().get(MediaType.CHARSET_PARAMETER);
        if (declared != null && !isUtf8(declared.trim())) {
            throw unsupported("request body must be UTF-8 JSON, but its Content-Type declares charset="
                    + printable(declared));
        }
    }

    private static boolean isUtf8(String name) {
        try {
            return Charset.forName(name).equals(StandardCharsets.UTF_8);
        } catch (IllegalCharsetNameException | UnsupportedCharsetException unknown) {
            return false;
        }
    }

    private static void refuseCompression(String encodings) {
        if (encodings == null) {
            return;
        }
        for (String encoding : encodings.split(",")) {
            String name = encoding.trim().toLowerCase(Locale.ROOT);
            if (!name.isEmpty() && !name.equals("identity")) {
                throw unsupported("request body must be sent uncompressed, but its Content-Encoding is "
                        + printable(encodings.trim()));
            }
        }
    }

    /** Echoes what the client sent, cut short and without characters that would break the answer or a terminal. */
    private static String printable(String value) {
        String shortened = value.length() > 40 ? value.substring(0, 40) + "..." : value;
        return shortened.replaceAll("[^\\x20-\\x7e]", "?");
    }

    private static RestRequestException unsupported(String message) {
        return new RestRequestException(Response.Status.UNSUPPORTED_MEDIA_TYPE, null, message);
    }
}
