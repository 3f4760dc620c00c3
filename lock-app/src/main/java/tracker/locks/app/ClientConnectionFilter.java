package tracker.locks.app;

import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.eclipse.jetty.ee10.servlet.ServletContextRequest;
import org.eclipse.jetty.http.HttpVersion;
import tracker.locks.rest.LockResource;

/**
 * Gives a lock request a {@link ConnectionCaller} on its connection, so that a client that disconnects while it
 * waits for a lock stops waiting (see {@link LockResource#CALLER_PROPERTY}). HTTP/1.x only: an HTTP/2 connection
 * carries other requests, whose bytes a watcher must not read; such a request stays unobserved.
 */
final class ClientConnectionFilter implements Filter {

    @Override
    public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        ServletContextRequest jetty = ServletContextRequest.getServletContextRequest(request);
        if (jetty != null && response instanceof HttpServletResponse http) {
            HttpVersion version = jetty.getConnectionMetaData().getHttpVersion();
            if (version == HttpVersion.HTTP_1_1 || version == HttpVersion.HTTP_1_0) {
                request.setAttribute(LockResource.CALLER_PROPERTY,
                        new ConnectionCaller(jetty.getConnectionMetaData().getConnection().getEndPoint(), http));
            }
        }
        chain.doFilter(request, response);
    }
}
