package tracker.locks.app.docs;

import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.InputStream;
import java.util.Map;
import java.util.Properties;
import java.util.regex.Pattern;

/**
 * Swagger UI at {@code /docs}, every file from the jar (the swagger-ui webjar; no CDN). Its
 * {@code swagger-initializer.js} is ours: it opens this server's document instead of the webjar's petstore.
 */
public final class SwaggerUiServlet extends HttpServlet {

    private static final long serialVersionUID = 1L;
    private static final String OURS = "/tracker-docs/";
    /** What may be asked for: the webjar's file names, nothing with a path in it. */
    private static final Pattern FILE = Pattern.compile("[a-zA-Z0-9._-]+");
    private static final Map<String, String> TYPES = Map.of(
            "html", "text/html; charset=utf-8", "js", "text/javascript; charset=utf-8",
            "css", "text/css; charset=utf-8", "png", "image/png", "txt", "text/plain; charset=utf-8");

    private final String webjar;

    public SwaggerUiServlet() {
        this.webjar = "/META-INF/resources/webjars/swagger-ui/" + webjarVersion() + "/";
    }

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        String path = request.getPathInfo();
        if (path == null) {
            // /docs: the page's relative links need the trailing slash
            response.sendRedirect(request.getRequestURI() + "/");
            return;
        }
        String file = path.equals("/") ? "index.html" : path.substring(1);
        String type = FILE.matcher(file).matches() ? TYPES.get(file.substring(file.lastIndexOf('.') + 1)) : null;
        InputStream content = type == null ? null : SwaggerUiServlet.class.getResourceAsStream(
                (file.equals("swagger-initializer.js") ? OURS : webjar) + file);
        if (content == null) {
            response.setStatus(HttpServletResponse.SC_NOT_FOUND);
            response.setContentType("application/json");
            response.getWriter().write("{\"error\":\"no such file under /docs\"}");
            return;
        }
        try (content) {
            response.setContentType(type);
            response.setHeader("Cache-Control", "public, max-age=3600");
            content.transferTo(response.getOutputStream());
        }
    }

    private static String webjarVersion() {
        try (InputStream pom = SwaggerUiServlet.class.getResourceAsStream(
                "/META-INF/maven/org.webjars/swagger-ui/pom.properties")) {
            if (pom == null) {
                throw new IllegalStateException("the swagger-ui webjar is not on the classpath");
            }
            Properties properties = new Properties();
            properties.load(pom);
            return properties.getProperty("version");
        } catch (IOException e) {
            throw new IllegalStateException("cannot read the swagger-ui webjar's version", e);
        }
    }
}
