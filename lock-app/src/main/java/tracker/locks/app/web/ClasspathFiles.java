package tracker.locks.app.web;

import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.InputStream;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Files from the jar for a browser (the dashboard, Swagger UI): only plain file names of the kinds a page needs,
 * nothing with a path in it; anything else is a JSON 404 like every other answer of the REST port.
 */
public final class ClasspathFiles {

    /** What may be asked for: a file name, no directory, no "..". */
    private static final Pattern FILE = Pattern.compile("[a-zA-Z0-9._-]+");
    private static final Map<String, String> TYPES = Map.of(
            "html", "text/html; charset=utf-8", "js", "text/javascript; charset=utf-8",
            "css", "text/css; charset=utf-8", "png", "image/png", "svg", "image/svg+xml",
            "txt", "text/plain; charset=utf-8");

    private final String where;

    /** @param where what to answer 404s with: "no such file under {where}" */
    public ClasspathFiles(String where) {
        this.where = where;
    }

    /**
     * Answers {@code file} from the class path folder {@code folder} (ending in "/"), or a 404.
     *
     * @param cacheSeconds how long a browser may keep it without asking again
     */
    public void send(String folder, String file, int cacheSeconds, HttpServletResponse response) throws IOException {
        String type = FILE.matcher(file).matches() ? TYPES.get(file.substring(file.lastIndexOf('.') + 1)) : null;
        InputStream content = type == null ? null : ClasspathFiles.class.getResourceAsStream(folder + file);
        if (content == null) {
            response.setStatus(HttpServletResponse.SC_NOT_FOUND);
            response.setContentType("application/json");
            response.getWriter().write("{\"error\":\"no such file under " + where + "\"}");
            return;
        }
        try (content) {
            response.setContentType(type);
            response.setHeader("Cache-Control", cacheSeconds == 0 ? "no-cache" : "public, max-age=" + cacheSeconds);
            response.setHeader("X-Content-Type-Options", "nosniff");
            content.transferTo(response.getOutputStream());
        }
    }
}
