package tracker.locks.app;

import io.dropwizard.core.server.DefaultServerFactory;
import io.dropwizard.core.setup.Environment;
import io.dropwizard.jetty.ConnectorFactory;
import io.dropwizard.jetty.HttpConnectorFactory;
import jakarta.servlet.DispatcherType;
import java.time.Clock;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tracker.locks.app.security.SecurityConfiguration;
import tracker.locks.app.security.TokensFileException;
import tracker.locks.app.security.TokensFileWatch;
import tracker.locks.domain.service.AccessControl;
import tracker.locks.domain.service.LockService;

/**
 * Who may do what, from the {@code security:} settings: with a tokens file, every API call needs one of its tokens
 * (re-read as it changes) and the admin port's diagnostic pages answer only this machine; without, everyone may do
 * everything, as in the guide — and a server reachable from the network says so at start-up.
 */
final class AccessControlFactory {

    private static final Logger LOG = LoggerFactory.getLogger(AccessControlFactory.class);

    /** The tokens, or null when authentication is off. */
    private final TokensFileWatch tokens;

    private AccessControlFactory(TokensFileWatch tokens) {
        this.tokens = tokens;
    }

    /** @throws TokensFileException when the tokens file is missing or wrong: the server does not start */
    static AccessControlFactory of(SecurityConfiguration settings, Environment environment)
            throws TokensFileException {
        if (settings.tokensFile().isEmpty()) {
            return new AccessControlFactory(null);
        }
        TokensFileWatch tokens = TokensFileWatch.open(settings.tokensFile().get());
        long millis = settings.getReloadInterval().toMilliseconds();
        ScheduledExecutorService reload = environment.lifecycle().scheduledExecutorService("tokens-file")
                .threads(1).build();
        reload.scheduleWithFixedDelay(tokens::check, millis, millis, TimeUnit.MILLISECONDS);
        // A thread dump, a CPU profile (made of thread stacks) and the admin tasks carry no token check of their
        // own: keep them to this machine.
        environment.admin().addFilter("loopback-only", new LoopbackOnlyFilter())
                .addMappingForUrlPatterns(EnumSet.of(DispatcherType.REQUEST), true, "/threads", "/pprof", "/pprof/*",
                        "/tasks/*");
        return new AccessControlFactory(tokens);
    }

    AccessControl over(LockService locks) {
        return tokens == null ? AccessControl.open(locks) : AccessControl.withTokens(locks, tokens, Clock.systemUTC());
    }

    /** One WARN line when authentication is off and a port of the API listens beyond this machine. */
    void warnWhenOpenOnTheNetwork(TrackerConfiguration configuration) {
        if (tokens != null) {
            return;
        }
        List<String> api = new ArrayList<>();
        List<String> admin = new ArrayList<>();
        if (configuration.getServerFactory() instanceof DefaultServerFactory server) {
            api.addAll(openPorts("REST port ", server.getApplicationConnectors()));
            admin.addAll(openPorts("admin port ", server.getAdminConnectors()));
        }
        GrpcServerFactory grpc = configuration.getGrpc();
        if (!isLoopback(grpc.getHost())) {
            api.add("gRPC port " + grpc.getPort());
        }
        List<String> warnings = new ArrayList<>();
        if (!api.isEmpty()) {
            warnings.add("the " + String.join(" and ", api) + " listen beyond this machine: anyone who reaches them"
                    + " can take and release any lock (set AUTH_TOKENS_FILE, or HTTP_BIND and GRPC_BIND to 127.0.0.1)");
        }
        if (!admin.isEmpty()) {
            warnings.add("the " + String.join(" and ", admin) + " listens beyond this machine: its /threads shows a"
                    + " thread dump to anyone (set AUTH_TOKENS_FILE, or METRICS_BIND to 127.0.0.1)");
        }
        if (!warnings.isEmpty()) {
            LOG.warn("authentication is off and {}. See README, Security", String.join("; ", warnings));
        }
    }

    private static List<String> openPorts(String kind, List<ConnectorFactory> connectors) {
        List<String> open = new ArrayList<>();
        for (ConnectorFactory connector : connectors) {
            if (connector instanceof HttpConnectorFactory http && !isLoopback(http.getBindHost())) {
                open.add(kind + http.getPort());
            }
        }
        return open;
    }

    /** A blank host binds every interface: not loopback. */
    private static boolean isLoopback(String host) {
        return host != null && !host.isBlank() && LoopbackOnlyFilter.isLoopback(host.strip());
    }
}
