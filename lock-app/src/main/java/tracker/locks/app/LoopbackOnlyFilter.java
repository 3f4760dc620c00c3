package tracker.locks.app;

import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * With authentication on, keeps the admin port's diagnostic pages ({@code /threads}, a thread dump, and
 * {@code /tasks}) to clients on this machine: they carry no token check of their own. Health and metrics stay open.
 */
final class LoopbackOnlyFilter implements Filter {

    @Override
    public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        if (isLoopback(request.getRemoteAddr())) {
            chain.doFilter(request, response);
            return;
        }
        HttpServletResponse http = (HttpServletResponse) response;
        http.setStatus(HttpServletResponse.SC_FORBIDDEN);
        http.setContentType("application/json");
        http.getWriter().write("{\"error\":\"with authentication on, this page answers only clients on the server's"
                + " own machine (loopback)\"}");
    }

    static boolean isLoopback(String address) {
        try {
            // A literal address from the connection: no name lookup happens.
            return address != null && InetAddress.getByName(address).isLoopbackAddress();
        } catch (UnknownHostException notAnAddress) {
            return false;
        }
    }
}
