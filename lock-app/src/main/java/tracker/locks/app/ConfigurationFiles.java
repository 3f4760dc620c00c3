package tracker.locks.app;

import io.dropwizard.configuration.ConfigurationSourceProvider;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Where the configuration comes from: the file named on the command line, or — when none is named — the copy of
 * {@code config/tracker.yml} inside the jar. A file that is missing or unreadable is one clear sentence, not a stack
 * trace (see {@link TrackerServerCommand}).
 */
final class ConfigurationFiles implements ConfigurationSourceProvider {

    /** What the command line says instead of a file when none was given. */
    static final String BUNDLED = "(the tracker.yml inside the jar)";
    private static final String BUNDLED_RESOURCE = "tracker.yml";

    @Override
    public InputStream open(String path) throws IOException {
        if (BUNDLED.equals(path)) {
            InputStream bundled = ConfigurationFiles.class.getClassLoader().getResourceAsStream(BUNDLED_RESOURCE);
            if (bundled == null) {
                throw new FileNotFoundException("the jar holds no " + BUNDLED_RESOURCE + "; name a configuration file");
            }
            return bundled;
        }
        Path file = Path.of(path).toAbsolutePath();
        if (!Files.exists(file)) {
            throw new FileNotFoundException("configuration file not found: " + file);
        }
        if (!Files.isRegularFile(file) || !Files.isReadable(file)) {
            throw new FileNotFoundException("configuration file cannot be read: " + file);
        }
        return Files.newInputStream(file);
    }
}
