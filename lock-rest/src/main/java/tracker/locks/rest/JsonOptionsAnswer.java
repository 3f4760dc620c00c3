package tracker.locks.rest;

import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerResponseContext;
import jakarta.ws.rs.container.ContainerResponseFilter;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.ext.Provider;
import java.util.Map;
import java.util.TreeSet;

/**
 * Answers {@code OPTIONS} in JSON like every other call: Jersey answers it by itself, with the allowed methods as a
 * line of plain text ({@code GET, HEAD, OPTIONS}), or as HTML when the client's Accept prefers it, which a client that reads every answer as JSON cannot. The
 * {@code Allow} header stays; the body becomes {@code {"allow":["GET","HEAD","OPTIONS"]}}.
 */
@Provider
public final class JsonOptionsAnswer implements ContainerResponseFilter {

    @Override
    public void filter(ContainerRequestContext request, ContainerResponseContext response) {
        if ("OPTIONS".equals(request.getMethod()) && response.getStatus() == 200
                && !MediaType.APPLICATION_JSON_TYPE.isCompatible(response.getMediaType())) {
            // Jersey's HTML variant has no body and says so (Content-Length: 0); the JSON one has.
            response.getHeaders().remove(HttpHeaders.CONTENT_LENGTH);
            response.setEntity(Map.of("allow", new TreeSet<>(response.getAllowedMethods())),
                    new java.lang.annotation.Annotation[0], MediaType.APPLICATION_JSON_TYPE);
        }
    }
}
