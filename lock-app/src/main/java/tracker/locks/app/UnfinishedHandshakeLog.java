package tracker.locks.app;

import io.grpc.Attributes;
import io.grpc.Grpc;
import io.grpc.ServerTransportFilter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * On the TLS gRPC port, one log line for a connection that closed before its TLS handshake completed — a plaintext
 * client, most often — where gRPC itself says nothing. No stack trace.
 */
final class UnfinishedHandshakeLog extends ServerTransportFilter {

    private static final Logger LOG = LoggerFactory.getLogger(UnfinishedHandshakeLog.class);

    @Override
    public void transportTerminated(Attributes transport) {
        if (transport == null || transport.get(Grpc.TRANSPORT_ATTR_SSL_SESSION) == null) {
            Object remote = transport == null ? null : transport.get(Grpc.TRANSPORT_ATTR_REMOTE_ADDR);
            LOG.info("refused a connection{} to the gRPC port: it closed before completing a TLS handshake (a"
                    + " plaintext client?)", remote == null ? "" : " from " + remote);
        }
    }
}
