package tracker.locks.app;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * A real headless Chromium for the dashboard's tests: Debian's {@code chromium} and {@code chromium-driver}, never a
 * downloaded browser (the driver's path is given, so Selenium Manager is not asked). Missing, it fails the test with
 * what to install — a browser test never skips.
 */
final class Chromium {

    private static final List<Path> BROWSERS = List.of(Path.of("/usr/bin/chromium"),
            Path.of("/usr/bin/chromium-browser"));
    private static final List<Path> DRIVERS = List.of(Path.of("/usr/bin/chromedriver"),
            Path.of("/usr/lib/chromium/chromedriver"));

    private Chromium() {
    }

    /**
     * A fresh browser (its own profile in {@code profile}), the window {@code width} × {@code height}, in the time
     * zone {@code timeZone} and the language en-US.
     */
    static ChromeDriver start(Path profile, int width, int height, String timeZone) throws IOException {
        Path browser = find("CHROMIUM_BIN", BROWSERS, "chromium");
        Path driver = find("CHROMEDRIVER_BIN", DRIVERS, "chromium-driver");
        Files.createDirectories(profile);
        ChromeOptions options = new ChromeOptions();
        options.setBinary(browser.toFile());
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--disable-background-networking", "--disable-component-update", "--no-first-run",
                "--disable-extensions", "--lang=en-US", "--user-data-dir=" + profile.toAbsolutePath(),
                "--window-size=" + width + "," + height);
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(driver.toFile())
                .usingAnyFreePort()
                .withEnvironment(Map.of("TZ", timeZone))
                .withTimeout(Duration.ofSeconds(60))
                .build();
        ChromeDriver chrome = new ChromeDriver(service, options);
        chrome.manage().window().setSize(new Dimension(width, height));
        return chrome;
    }

    private static Path find(String variable, List<Path> candidates, String debianPackage) {
        String given = System.getenv(variable);
        if (given != null && !given.isBlank()) {
            return Path.of(given);
        }
        return candidates.stream().filter(Files::isExecutable).findFirst().orElseThrow(() -> new IllegalStateException(
                "the dashboard's browser tests need Chromium and its driver: install Debian's chromium and"
                        + " chromium-driver (apt-get install -y chromium chromium-driver; .ci/run does it when they"
                        + " are missing), or name them in CHROMIUM_BIN and CHROMEDRIVER_BIN. Looked for "
                        + debianPackage + " at " + candidates));
    }
}
