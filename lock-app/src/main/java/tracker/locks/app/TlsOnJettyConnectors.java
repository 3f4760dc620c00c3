package tracker.locks.app;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.ConnectionFactory;
import org.eclipse.jetty.server.OptionalSslConnectionFactory;
import org.eclipse.jetty.server.SecureRequestCustomizer;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.SslConnectionFactory;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.component.LifeCycle;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tracker.locks.app.security.TlsFiles;

/**
 * Puts TLS in front of the REST port and the admin port as Jetty starts (Dropwizard's own HTTPS connector wants a
 * key store; ours are PEM files that rotate). The REST port requires client certificates when mutual TLS is on; the
 * admin port never does, so that load balancers and Prometheus keep reaching health and metrics. A client that
 * speaks plain HTTP to either gets one JSON 400 and the server one log line.
 */
final class TlsOnJettyConnectors implements LifeCycle.Listener {

    private static final Logger LOG = LoggerFactory.getLogger(TlsOnJettyConnectors.class);
    /** Dropwizard's name of the application connector (the admin one is "admin"). */
    private static final String APPLICATION = "application";

    private final TlsFiles files;

    TlsOnJettyConnectors(TlsFiles files) {
        this.files = files;
    }

    @Override
    public void lifeCycleStarting(LifeCycle event) {
        if (!(event instanceof Server server)) {
            return;
        }
        for (Connector connector : server.getConnectors()) {
            if (connector instanceof ServerConnector http) {
                secure(http, APPLICATION.equals(http.getName()) && files.requiresClientCertificates());
            }
        }
    }

    private void secure(ServerConnector connector, boolean needClientCertificate) {
        for (ConnectionFactory factory : connector.getConnectionFactories()) {
            if (factory instanceof HttpConfiguration.ConnectionFactory http) {
                // Requests know they came over TLS; no SNI host check: clients use any name the certificate has.
                http.getHttpConfiguration().addCustomizer(new SecureRequestCustomizer(false));
            }
        }
        // Dropwizard wraps the HTTP factory for its metrics; the handshake hands over to it by protocol name.
        String next = connector.getDefaultProtocol();
        SslContextFactory.Server tls = new SslContextFactory.Server();
        tls.setSslContext(files.sslContext());
        tls.setNeedClientAuth(needClientCertificate);
        SslConnectionFactory handshake = new SslConnectionFactory(tls, next);
        connector.addFirstConnectionFactory(handshake);
        connector.addFirstConnectionFactory(new PlaintextRefusal(handshake, connector.getName()));
    }

    /** Tells a plain-HTTP client, in one JSON 400, that the port speaks TLS; anything else is just closed. */
    private static final class PlaintextRefusal extends OptionalSslConnectionFactory {

        private static final String BODY = "{\"error\":\"this port speaks TLS: use https:// and the server's CA\"}";
        private static final byte[] ANSWER = ("HTTP/1.1 400 Bad Request\r\nContent-Type: application/json\r\n"
                + "Connection: close\r\nContent-Length: " + BODY.length() + "\r\n\r\n" + BODY)
                .getBytes(StandardCharsets.US_ASCII);

        private final String port;

        PlaintextRefusal(SslConnectionFactory handshake, String port) {
            super(handshake, null);
            this.port = port;
        }

        @Override
        protected void otherProtocol(ByteBuffer buffer, EndPoint endPoint) {
            LOG.info("refused a connection from {} to the {} port: it does not speak TLS",
                    endPoint.getRemoteSocketAddress(), port);
            endPoint.write(Callback.from(endPoint::close, failure -> endPoint.close()), ByteBuffer.wrap(ANSWER));
        }
    }
}
