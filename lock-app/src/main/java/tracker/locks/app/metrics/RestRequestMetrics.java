package tracker.locks.app.metrics;

import java.util.List;
import org.glassfish.jersey.server.ContainerResponse;
import org.glassfish.jersey.server.ExtendedUriInfo;
import org.glassfish.jersey.server.monitoring.ApplicationEvent;
import org.glassfish.jersey.server.monitoring.ApplicationEventListener;
import org.glassfish.jersey.server.monitoring.RequestEvent;
import org.glassfish.jersey.server.monitoring.RequestEventListener;
import org.glassfish.jersey.uri.UriTemplate;

/**
 * Times every REST request by method, endpoint and status. The endpoint is the resource's path template
 * ({@code /api/v1alpha1/lock/{id}}), never the path itself, which carries ids; a path no resource matches is
 * {@code unmatched}.
 */
public final class RestRequestMetrics implements ApplicationEventListener {

    private final TrackerMetrics metrics;

    public RestRequestMetrics(TrackerMetrics metrics) {
        this.metrics = metrics;
    }

    @Override
    public void onEvent(ApplicationEvent event) {
    }

    @Override
    public RequestEventListener onRequest(RequestEvent requestEvent) {
        long start = System.nanoTime();
        return event -> {
            if (event.getType() != RequestEvent.Type.FINISHED) {
                return;
            }
            ContainerResponse response = event.getContainerResponse();
            String status = response == null ? "500" : Integer.toString(response.getStatus());
            metrics.restRequests.labelValues(event.getContainerRequest().getMethod(), endpoint(event.getUriInfo()),
                    status).observe((System.nanoTime() - start) / 1e9);
        };
    }

    private static String endpoint(ExtendedUriInfo uri) {
        List<UriTemplate> templates = uri.getMatchedTemplates();
        if (templates.isEmpty()) {
            return "unmatched";
        }
        // Innermost first: the resource's path, then the method's.
        StringBuilder path = new StringBuilder();
        for (int i = templates.size() - 1; i >= 0; i--) {
            String template = templates.get(i).getTemplate();
            path.append(template.startsWith("/") || path.toString().endsWith("/") ? "" : "/").append(template);
        }
        return path.toString();
    }
}
