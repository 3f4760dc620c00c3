package tracker.locks.app.web;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;

/**
 * The lock dashboard (module lock-web): its page at {@code /} and {@code /ui/}, its scripts and styles under
 * {@code /ui/}. Static
 * files only — the page reads and changes locks through the public REST API with the token the user typed in.
 * Its content security policy lets the page load and call nothing but this server, so neither an injected script
 * nor another site can read the token from the tab.
 */
public final class DashboardServlet extends ReadOnlyServlet {

    private static final long serialVersionUID = 1L;
    private static final String FILES = "/tracker-web/";
    private static final String POLICY = "default-src 'none'; script-src 'self'; style-src 'self'; "
            + "connect-src 'self'; img-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

    private final ClasspathFiles files = new ClasspathFiles("/ui");

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        String path = request.getPathInfo();
        if (!request.getServletPath().isEmpty() && path == null) {
            response.sendRedirect("/ui/"); // /ui: the page's relative address needs the slash
            return;
        }
        // The page at / and at /ui/ alike; its files under /ui/.
        String file = request.getServletPath().isEmpty() || path.equals("/") ? "index.html" : path.substring(1);
        response.setHeader("Content-Security-Policy", POLICY);
        response.setHeader("Referrer-Policy", "no-referrer");
        // Always revalidated: a new version of the server never runs with an old page's scripts.
        files.send(FILES, file, 0, response);
    }
}
