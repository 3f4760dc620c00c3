package tracker.locks.app;

import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import java.io.IOException;
import tracker.locks.rest.LockResource;

/**
 * Tells the REST resource which address a request came from ({@link LockResource#CLIENT_PROPERTY}), so that a
 * client presenting wrong tokens again and again is slowed down by its address, whatever connection it uses.
 */
final class ClientAddressFilter implements Filter {

    @Override
    public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        request.setAttribute(LockResource.CLIENT_PROPERTY, request.getRemoteAddr());
        chain.doFilter(request, response);
    }
}
