package tracker.locks.app;

import io.dropwizard.configuration.ConfigurationException;
import io.dropwizard.core.Application;
import io.dropwizard.core.cli.Cli;
import io.dropwizard.core.cli.ServerCommand;
import io.dropwizard.core.setup.Bootstrap;
import java.io.FileNotFoundException;
import java.util.HashMap;
import java.util.Map;
import net.sourceforge.argparse4j.inf.Namespace;
import tracker.locks.app.security.TlsFilesException;
import tracker.locks.app.security.TokensFileException;

/**
 * Dropwizard's {@code server} command, with two changes a new user meets first: without a configuration file it
 * starts on the one inside the jar, and a configuration it cannot read or parse is reported in words, without the
 * stack trace.
 */
final class TrackerServerCommand extends ServerCommand<TrackerConfiguration> {

    private static final String FILE = "file";

    TrackerServerCommand(Application<TrackerConfiguration> application) {
        super(application);
    }

    @Override
    public void run(Bootstrap<?> bootstrap, Namespace namespace) throws Exception {
        LogFormat.check(System.getenv());
        if (namespace.getString(FILE) == null) {
            Map<String, Object> withBundled = new HashMap<>(namespace.getAttrs());
            withBundled.put(FILE, ConfigurationFiles.BUNDLED);
            namespace = new Namespace(withBundled);
        }
        super.run(bootstrap, namespace);
    }

    @Override
    public void onError(Cli cli, Namespace namespace, Throwable error) {
        if (error instanceof FileNotFoundException || error instanceof ConfigurationException
                || error instanceof TokensFileException || error instanceof TlsFilesException
                || error instanceof LogFormat.UnknownLogFormatException) {
            cli.getStdErr().println(error.getMessage().strip());
            return;
        }
        super.onError(cli, namespace, error);
    }
}
