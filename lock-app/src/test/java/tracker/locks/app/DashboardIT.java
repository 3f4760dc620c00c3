package tracker.locks.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;
import tracker.locks.testkit.CreatedToken;
import tracker.locks.testkit.GrpcLockClient;
import tracker.locks.testkit.LockClient;
import tracker.locks.testkit.RestLockClient;
import tracker.locks.testkit.ServerProcess;

/**
 * The dashboard in a real headless Chromium against the real server (the shipped jar): the locks taken over REST and
 * over gRPC appear, their leases count down, a release through the API leaves the page without a reload and shows
 * in the history; with authentication on, an admin force-releases from the page with the keyboard, a token without
 * the admin scope is never offered the button, and a write-only token is refused the page. Screenshots go to
 * {@code target/dashboard/} for review.
 */
class DashboardIT {

    private static final Path SCREENSHOTS = Path.of("target", "dashboard");
    /** Longer than two polls of the page (2 s each) and a second's countdown tick. */
    private static final Duration PAGE_BOUND = Duration.ofSeconds(15);
    private static final Pattern LEFT = Pattern.compile(
            "(?:(\\d+) h )?(?:(\\d+) min ?)?(?:(\\d+) s )?left");

    @TempDir
    Path directory;

    @Test
    void locksOfBothTransportsShowLiveWithTheirLeasesAndHistory() throws Exception {
        try (ServerProcess server = ServerProcess.start("dashboard", Map.of("LOG_LEVEL", "WARN"), directory)
                .awaitHealthy();
             RestLockClient rest = new RestLockClient(server.httpPort());
             GrpcLockClient grpc = new GrpcLockClient(server.grpcPort())) {
            LockClient.AcquireAnswer overRest = rest.acquire("dash-deploy", "prod", "rest-pipeline",
                    Duration.ofHours(1));
            LockClient.AcquireAnswer overGrpc = grpc.acquire("dash-migrate", "", "grpc-worker",
                    Duration.ofMinutes(10));
            assertThat(overRest.outcome()).isEqualTo(LockClient.Outcome.ACQUIRED);
            assertThat(overGrpc.outcome()).isEqualTo(LockClient.Outcome.ACQUIRED);

            ChromeDriver chrome = Chromium.start(directory.resolve("chrome"), 1280, 900, "Asia/Tokyo");
            try {
                WebDriverWait page = new WebDriverWait(chrome, PAGE_BOUND);
                chrome.get("http://127.0.0.1:" + server.httpPort() + "/");
                page.until(ExpectedConditions.presenceOfElementLocated(row(overRest.id())));
                page.until(ExpectedConditions.presenceOfElementLocated(row(overGrpc.id())));
                assertThat(cell(chrome, overRest.id(), "service")).isEqualTo("dash-deploy");
                assertThat(cell(chrome, overRest.id(), "who")).isEqualTo("rest-pipeline");
                assertThat(cell(chrome, overRest.id(), "token")).isEqualTo(String.valueOf(overRest.token()));
                assertThat(cell(chrome, overGrpc.id(), "who")).isEqualTo("grpc-worker");
                assertThat(chrome.findElement(By.id("identity")).getText()).contains("Authentication is off");
                assertThat(chrome.findElement(By.id("token-form")).isDisplayed()).as("no token asked for").isFalse();
                assertThat(chrome.findElements(By.cssSelector("#held tbody tr")).get(0).getAttribute("data-lock-id"))
                        .as("oldest first").isEqualTo(overRest.id());
                assertThat(chrome.findElements(By.cssSelector("button.force-release")))
                        .as("with authentication off anyone may release: offered").hasSize(2);

                // The lease counts down in the page, without a reload.
                long before = secondsLeft(cell(chrome, overGrpc.id(), "lease"));
                assertThat(before).isBetween(Duration.ofMinutes(9).toSeconds(), Duration.ofMinutes(10).toSeconds());
                page.until(driver -> secondsLeft(cell(chrome, overGrpc.id(), "lease")) < before);

                // Times are the viewer's: the browser runs in Tokyo, the server in UTC.
                String since = chrome.findElement(row(overRest.id())).findElement(By.cssSelector("time.since"))
                        .getAttribute("title");
                String createdAt = chrome.findElement(row(overRest.id())).findElement(By.cssSelector("time.since"))
                        .getAttribute("datetime");
                assertThat(spaces(since)).contains(DateTimeFormatter.ofPattern("h:mm:ss a", Locale.US)
                        .format(Instant.parse(createdAt).atZone(ZoneId.of("Asia/Tokyo"))));
                screenshot(chrome, "held-locks.png");

                // A release through the API leaves the page by itself, and shows in the activity.
                chrome.executeScript("window.stillTheSamePage = true");
                assertThat(rest.release(overRest.id())).isEqualTo(LockClient.ReleaseAnswer.RELEASED);
                page.until(ExpectedConditions.numberOfElementsToBe(row(overRest.id()), 0));
                assertThat(chrome.executeScript("return window.stillTheSamePage === true")).isEqualTo(true);
                page.until(ExpectedConditions.textToBePresentInElementLocated(By.id("activity"),
                        "released rest-pipeline on dash-deploy / prod"));

                // A lock's history as a timeline.
                chrome.findElement(row(overGrpc.id())).findElement(By.cssSelector("button.history")).click();
                page.until(ExpectedConditions.textToBePresentInElementLocated(By.id("timeline"),
                        "acquired grpc-worker (token " + overGrpc.token() + ")"));
                assertThat(chrome.findElement(By.id("detail-title")).getText()).contains("dash-migrate");
                screenshot(chrome, "lock-history.png");

                // At phone width every lock is a card, and nothing needs scrolling sideways.
                chrome.manage().window().setSize(new org.openqa.selenium.Dimension(390, 844));
                page.until(driver -> Boolean.TRUE.equals(chrome.executeScript(
                        "return document.documentElement.scrollWidth <= window.innerWidth")));
                screenshot(chrome, "phone-width.png");
            } finally {
                chrome.quit();
            }
        }
    }

    @Test
    void anAdminForceReleasesWithTheKeyboardAndOtherTokensCannot() throws Exception {
        CreatedToken admin = CreatedToken.create(directory, "--name", "on-call", "--scopes", "admin",
                "--services", "*");
        CreatedToken deployer = CreatedToken.create(directory, "--name", "ci-deployer", "--scopes", "read,write",
                "--services", "dash-*");
        CreatedToken writer = CreatedToken.create(directory, "--name", "writer", "--scopes", "write",
                "--services", "*");
        Path tokens = Files.writeString(directory.resolve("tokens.yml"),
                "tokens:\n" + admin.entry() + deployer.entry() + writer.entry());
        try (ServerProcess server = ServerProcess.start("dashboard-secured",
                Map.of("LOG_LEVEL", "WARN", "AUTH_TOKENS_FILE", tokens.toString()), directory).awaitHealthy()) {
            Http api = new Http(server.httpPort()).withToken(deployer.token());
            String stuck = api.post("/api/v1alpha1/lock", "{\"service\":\"dash-deploy\",\"who\":\"ci-pipeline-123\"}")
                    .json().get("id").asText();
            String kept = api.post("/api/v1alpha1/lock", "{\"service\":\"dash-nightly\",\"who\":\"nightly\"}")
                    .json().get("id").asText();

            ChromeDriver chrome = Chromium.start(directory.resolve("chrome"), 1280, 900, "UTC");
            try {
                WebDriverWait page = new WebDriverWait(chrome, PAGE_BOUND);
                chrome.get("http://127.0.0.1:" + server.httpPort() + "/");
                page.until(ExpectedConditions.visibilityOfElementLocated(By.id("token")));
                assertThat(chrome.findElement(By.id("message")).getText()).startsWith("This server needs a token");

                signIn(chrome, admin.token());
                page.until(ExpectedConditions.presenceOfElementLocated(row(stuck)));
                assertThat(chrome.findElement(By.id("identity")).getText()).contains("on-call");
                assertThat(chrome.findElement(By.id("token-form")).isDisplayed()).isFalse();

                // Keyboard only: the button, the confirmation naming the holder, the release.
                chrome.findElement(row(stuck)).findElement(By.cssSelector("button.force-release"))
                        .sendKeys(Keys.ENTER);
                WebElement dialog = page.until(ExpectedConditions.visibilityOfElementLocated(By.id("confirm")));
                assertThat(dialog.getText()).contains("dash-deploy", "ci-pipeline-123", "ci-deployer");
                screenshot(chrome, "force-release-confirmation.png");
                chrome.findElement(By.id("confirm-release")).sendKeys(Keys.ENTER);
                page.until(ExpectedConditions.numberOfElementsToBe(row(stuck), 0));
                assertThat(chrome.findElement(By.id("message")).getText())
                        .contains("Released the lock on dash-deploy that ci-pipeline-123 held");
                Http.Answer history = new Http(server.httpPort()).withToken(admin.token())
                        .get("/api/v1alpha1/lock/" + stuck + "/history");
                assertThat(history.json().get("events").get(1).get("action").asText()).isEqualTo("force-released");
                assertThat(history.json().get("events").get(1).get("by").asText()).isEqualTo("on-call");
                page.until(ExpectedConditions.textToBePresentInElementLocated(By.id("activity"),
                        "force-released ci-pipeline-123 on dash-deploy"));

                // The token is in this tab's sessionStorage only.
                assertThat(chrome.getCurrentUrl()).doesNotContain(admin.token());
                assertThat(chrome.executeScript("return document.cookie")).isEqualTo("");
                assertThat(chrome.executeScript("return localStorage.length")).isEqualTo(0L);
                assertThat(chrome.executeScript("return sessionStorage.getItem('tracker-token')"))
                        .isEqualTo(admin.token());

                // A token that may read and write, but is no admin: the locks, and no button to free another's.
                chrome.findElement(By.id("forget-token")).click();
                signIn(chrome, deployer.token());
                page.until(ExpectedConditions.presenceOfElementLocated(row(kept)));
                assertThat(chrome.findElements(By.cssSelector("button.force-release"))).isEmpty();

                // A write-only token may not read the locks: a plain message, no locks, no button.
                chrome.findElement(By.id("forget-token")).click();
                signIn(chrome, writer.token());
                page.until(ExpectedConditions.textToBePresentInElementLocated(By.id("message"), "Not allowed"));
                assertThat(chrome.findElement(By.id("message")).getText()).contains("lacks the read scope");
                assertThat(chrome.findElements(By.cssSelector("#held tbody tr"))).isEmpty();
                assertThat(chrome.findElements(By.cssSelector("#activity li"))).as("no history it may not read")
                        .isEmpty();
                assertThat(chrome.findElements(By.cssSelector("button.force-release"))).isEmpty();
                screenshot(chrome, "write-only-token.png");
                assertThat(api.get("/api/v1alpha1/lock/" + kept).status()).as("still held").isEqualTo(200);
            } finally {
                chrome.quit();
            }
        }
    }

    private static void signIn(ChromeDriver chrome, String token) {
        WebElement field = new WebDriverWait(chrome, PAGE_BOUND)
                .until(ExpectedConditions.visibilityOfElementLocated(By.id("token")));
        field.sendKeys(token, Keys.ENTER);
    }

    private static By row(String lockId) {
        return By.cssSelector("#held tbody tr[data-lock-id='" + lockId + "']");
    }

    private static String cell(ChromeDriver chrome, String lockId, String column) {
        return chrome.findElement(row(lockId)).findElement(By.cssSelector("." + column)).getText();
    }

    /** "9 min 58 s left" → 598. */
    private static long secondsLeft(String lease) {
        Matcher left = LEFT.matcher(lease.trim());
        assertThat(left.matches()).as("a lease's countdown, not \"" + lease + "\"").isTrue();
        return number(left.group(1)) * 3600 + number(left.group(2)) * 60 + number(left.group(3));
    }

    private static long number(String group) {
        return group == null ? 0 : Long.parseLong(group);
    }

    /** Intl's time formats put narrow and no-break spaces before AM/PM. */
    private static String spaces(String text) {
        return text.replace('\u202f', ' ').replace('\u00a0', ' ');
    }

    private static void screenshot(ChromeDriver chrome, String name) throws IOException {
        Files.createDirectories(SCREENSHOTS);
        Files.write(SCREENSHOTS.resolve(name), chrome.getScreenshotAs(OutputType.BYTES));
    }
}
