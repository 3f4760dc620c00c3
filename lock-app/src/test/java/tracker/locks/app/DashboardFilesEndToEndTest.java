package tracker.locks.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.dropwizard.testing.DropwizardTestSupport;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The dashboard's files as the real server serves them at {@code /} and {@code /ui/}: every file the page loads is
 * there, from the jar, with a content security policy that lets it call nothing but this server; nothing is loaded
 * from elsewhere (no CDN); nothing outside its files is served; the API keeps every other path.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DashboardFilesEndToEndTest {

    private static final Pattern MODULE_IMPORT = Pattern.compile("from '\\./([a-z-]+\\.js)'");

    private final HttpClient client = HttpClient.newHttpClient();
    private DropwizardTestSupport<TrackerConfiguration> server;
    private String base;

    @BeforeAll
    void startServer(@TempDir Path dataDirectory) throws Exception {
        server = TrackerServers.on(TrackerServers.h2File(dataDirectory));
        server.before();
        base = "http://127.0.0.1:" + server.getLocalPort();
    }

    @AfterAll
    void stopServer() {
        server.after();
    }

    @Test
    void thePageAndEveryFileItLoadsComeFromThisServerUnderItsPolicy() throws Exception {
        HttpResponse<String> page = get("/");
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.headers().firstValue("Content-Type").orElseThrow()).startsWith("text/html");
        assertThat(page.headers().firstValue("Content-Security-Policy").orElseThrow())
                .contains("default-src 'none'", "script-src 'self'", "connect-src 'self'", "frame-ancestors 'none'");
        assertThat(page.headers().firstValue("Referrer-Policy")).contains("no-referrer");
        assertThat(page.body()).contains("<html lang=\"en\">", "/ui/dashboard.js", "/ui/style.css");

        List<String> files = new ArrayList<>(List.of("dashboard.js", "style.css"));
        for (int i = 0; i < files.size(); i++) {
            HttpResponse<String> file = get("/ui/" + files.get(i));
            assertThat(file.statusCode()).as(files.get(i)).isEqualTo(200);
            assertThat(file.headers().firstValue("Content-Type").orElseThrow())
                    .startsWith(files.get(i).endsWith(".js") ? "text/javascript" : "text/css");
            assertThat(file.body()).as("nothing from another host").doesNotContain("http://", "https://", "//cdn");
            Matcher imports = MODULE_IMPORT.matcher(file.body());
            while (imports.find()) {
                if (!files.contains(imports.group(1))) {
                    files.add(imports.group(1));
                }
            }
        }
        assertThat(files).as("the modules the page imports, all served").contains("api.js", "format.js");
        assertThat(page.body()).doesNotContain("http://", "https://");
    }

    @Test
    void nothingButItsFilesIsServedAndTheApiKeepsItsPaths() throws Exception {
        assertThat(get("/ui/").body()).as("the page at /ui/ too").contains("/ui/dashboard.js");
        for (String nowhere : List.of("/ui/nothing.js", "/ui/a/b.js", "/ui/index", "/ui/tracker.yml")) {
            HttpResponse<String> answer = get(nowhere);
            assertThat(answer.statusCode()).as(nowhere).isEqualTo(404);
            assertThat(answer.body()).as(nowhere).startsWith("{\"error\"");
        }
        assertThat(get("/ui/..%2F..%2Fconfig.yml").statusCode()).isIn(400, 404);
        assertThat(get("/api/v1alpha1/locks/list").statusCode()).isEqualTo(200);
        assertThat(get("/api/v1alpha1/whoami").body()).isEqualTo(
                "{\"authentication\":false,\"scopes\":[\"read\",\"write\",\"admin\"],\"services\":[\"*\"]}");
        assertThat(get("/docs/").statusCode()).isEqualTo(200);
        assertThat(get("/index.html").statusCode()).as("the page is at / only").isEqualTo(404);
    }

    @Test
    void onlyGetAndHeadReadTheFilesAnyOtherMethodIsAJson405() throws Exception {
        for (String path : List.of("/", "/ui/style.css", "/docs/index.html")) {
            // (A method HTTP does not define, e.g. FOO, Jetty itself answers 405 before any servlet sees it.)
            for (String method : List.of("PATCH", "POST", "PUT", "DELETE", "OPTIONS")) {
                HttpResponse<String> answer = client.send(HttpRequest.newBuilder(URI.create(base + path))
                        .method(method, HttpRequest.BodyPublishers.noBody()).build(),
                        HttpResponse.BodyHandlers.ofString());
                assertThat(answer.statusCode()).as(method + " " + path).isEqualTo(405);
                assertThat(answer.body()).as(method + " " + path).isEqualTo("{\"error\":\"method not allowed\"}");
            }
        }
        HttpResponse<Void> head = client.send(HttpRequest.newBuilder(URI.create(base + "/"))
                .method("HEAD", HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.discarding());
        assertThat(head.statusCode()).isEqualTo(200);
    }

    private HttpResponse<String> get(String path) throws Exception {
        return client.send(HttpRequest.newBuilder(URI.create(base + path)).build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
