package tracker.locks.app.docs;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;
import tracker.locks.app.web.ClasspathFiles;
import tracker.locks.app.web.ReadOnlyServlet;

/**
 * Swagger UI at {@code /docs}, every file from the jar (the swagger-ui webjar; no CDN). Its
 * {@code swagger-initializer.js} is ours: it opens this server's document instead of the webjar's petstore.
 */
public final class SwaggerUiServlet extends ReadOnlyServlet {

    private static final long serialVersionUID = 1L;
    private static final String OURS = "/tracker-docs/";

    private final ClasspathFiles files = new ClasspathFiles("/docs");
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
        files.send(file.equals("swagger-initializer.js") ? OURS : webjar, file, 3600, response);
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
