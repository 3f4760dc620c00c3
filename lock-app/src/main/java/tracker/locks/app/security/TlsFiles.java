package tracker.locks.app.security;

import io.grpc.ServerCredentials;
import io.grpc.TlsServerCredentials;
import io.grpc.util.AdvancedTlsX509KeyManager;
import io.grpc.util.AdvancedTlsX509TrustManager;
import io.grpc.util.CertificateUtils;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.Arrays;
import java.util.Optional;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The server's certificate chain and key, and the CA that client certificates must be signed by, as PEM files that
 * are re-read when their content changes ({@link #check()}, every couple of seconds): a rotated certificate is served
 * to the next connection, without a restart. Files that no longer load keep the previous ones in force, and an error
 * is logged once when they still do not at the next look (a rotation moves the certificate and the key one by one). REST and gRPC handshake with the same managers, so they always
 * present the same certificate.
 */
public final class TlsFiles {

    private static final Logger LOG = LoggerFactory.getLogger(TlsFiles.class);

    private final Path certificate;
    private final Path key;
    /** Null unless client certificates are required (mutual TLS); then {@link #clients} is set too. */
    private final Path clientCa;
    private final AdvancedTlsX509KeyManager identity = new AdvancedTlsX509KeyManager();
    private final AdvancedTlsX509TrustManager clients;
    private byte[] identityRead;
    private byte[] clientCaRead;
    /**
     * Looks in a row at which the certificate and key did not load. A rotation moves two files in place one after the
     * other, and between the moves they do not match: that is reported only when it lasts past the next look.
     */
    private int identityFailures;
    private int clientCaFailures;

    private TlsFiles(Path certificate, Path key, Path clientCa) {
        this.certificate = certificate;
        this.key = key;
        this.clientCa = clientCa;
        try {
            this.clients = clientCa == null ? null : AdvancedTlsX509TrustManager.newBuilder()
                    .setVerification(AdvancedTlsX509TrustManager.Verification.CERTIFICATE_ONLY_VERIFICATION)
                    .build();
        } catch (GeneralSecurityException impossible) {
            throw new IllegalStateException("the JDK has no X.509 trust manager", impossible);
        }
    }

    /** Loads the files now: a file that cannot be used stops the start, naming it. */
    public static TlsFiles load(TlsConfiguration settings) throws TlsFilesException {
        Path certificate = readable(settings.certificateFile(), "TLS_CERT_FILE");
        Path key = readable(settings.keyFile(), "TLS_KEY_FILE");
        Path clientCa = settings.clientCaFile().isEmpty() ? null
                : readable(settings.clientCaFile(), "TLS_CLIENT_CA_FILE");
        TlsFiles files = new TlsFiles(certificate, key, clientCa);
        files.loadIdentity();
        if (clientCa != null) {
            files.loadClientCa();
        }
        return files;
    }

    /** Takes the files' new content, if any; what does not load leaves the previous in force. */
    public synchronized void check() {
        try {
            loadIdentity();
            identityFailures = 0;
        } catch (TlsFilesException unusable) {
            if (++identityFailures == 2) {
                LOG.error("{}; the certificate read before stays in force", unusable.getMessage());
            }
        }
        if (clientCa != null) {
            try {
                loadClientCa();
                clientCaFailures = 0;
            } catch (TlsFilesException unusable) {
                if (++clientCaFailures == 2) {
                    LOG.error("{}; the client CA read before stays in force", unusable.getMessage());
                }
            }
        }
    }

    private void loadIdentity() throws TlsFilesException {
        byte[] certificatePem = read(certificate, "TLS_CERT_FILE");
        byte[] keyPem = read(key, "TLS_KEY_FILE");
        byte[] both = concat(certificatePem, keyPem);
        if (Arrays.equals(both, identityRead)) {
            return;
        }
        try {
            X509Certificate[] chain = CertificateUtils.getX509Certificates(new ByteArrayInputStream(certificatePem));
            PrivateKey privateKey = CertificateUtils.getPrivateKey(new ByteArrayInputStream(keyPem));
            if (chain.length == 0) {
                throw new CertificateException("no certificate in the file");
            }
            if (!matches(chain[0], privateKey)) {
                throw new CertificateException("the key is not the certificate's");
            }
            identity.updateIdentityCredentials(chain, privateKey);
            identityRead = both;
            LOG.info("TLS certificate {} (serial {}, valid until {}) from {}", chain[0].getSubjectX500Principal(),
                    chain[0].getSerialNumber().toString(16), chain[0].getNotAfter().toInstant(), certificate);
        } catch (IOException | GeneralSecurityException | RuntimeException unusable) {
            throw new TlsFilesException("cannot use TLS_CERT_FILE " + certificate + " with TLS_KEY_FILE " + key
                    + " (a PEM certificate chain and its PEM PKCS#8 private key): " + reason(unusable));
        }
    }

    private void loadClientCa() throws TlsFilesException {
        byte[] pem = read(clientCa, "TLS_CLIENT_CA_FILE");
        if (Arrays.equals(pem, clientCaRead)) {
            return;
        }
        try {
            X509Certificate[] authorities = CertificateUtils.getX509Certificates(new ByteArrayInputStream(pem));
            if (authorities.length == 0) {
                throw new CertificateException("no certificate in the file");
            }
            clients.updateTrustCredentials(authorities);
            clientCaRead = pem;
            LOG.info("TLS client CA: {} certificates from {}", authorities.length, clientCa);
        } catch (IOException | GeneralSecurityException | RuntimeException unusable) {
            throw new TlsFilesException("cannot use TLS_CLIENT_CA_FILE " + clientCa
                    + " (PEM certificates of the CAs that sign client certificates): " + reason(unusable));
        }
    }

    /** Whether clients must present a certificate signed by the client CA. */
    public boolean requiresClientCertificates() {
        return clients != null;
    }

    /** For Jetty: a context whose every handshake asks the reloading managers. */
    public SSLContext sslContext() {
        try {
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(new KeyManager[] {identity}, clients == null ? null : new TrustManager[] {clients}, null);
            return context;
        } catch (GeneralSecurityException impossible) {
            throw new IllegalStateException("the JDK has no TLS", impossible);
        }
    }

    /** For gRPC: the same managers. */
    public ServerCredentials grpcCredentials() {
        TlsServerCredentials.Builder credentials = TlsServerCredentials.newBuilder().keyManager(identity);
        if (clients != null) {
            credentials.trustManager(clients).clientAuth(TlsServerCredentials.ClientAuth.REQUIRE);
        }
        return credentials.build();
    }

    /** A key matches a certificate when it signs what the certificate's public key verifies. */
    private static boolean matches(X509Certificate certificate, PrivateKey key) throws GeneralSecurityException {
        String algorithm = key.getAlgorithm().equals("EC") ? "SHA256withECDSA"
                : key.getAlgorithm().equals("RSA") ? "SHA256withRSA" : null;
        if (algorithm == null) {
            return true; // another key type: the handshake will tell
        }
        byte[] probe = "tracker-locks".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        Signature signer = Signature.getInstance(algorithm);
        signer.initSign(key);
        signer.update(probe);
        byte[] signature = signer.sign();
        Signature verifier = Signature.getInstance(algorithm);
        verifier.initVerify(certificate.getPublicKey());
        verifier.update(probe);
        return verifier.verify(signature);
    }

    private static byte[] read(Path file, String setting) throws TlsFilesException {
        try {
            return Files.readAllBytes(file);
        } catch (IOException unreadable) {
            throw new TlsFilesException("cannot read " + setting + " " + file + ": "
                    + unreadable.getClass().getSimpleName());
        }
    }

    private static byte[] concat(byte[] first, byte[] second) {
        byte[] both = Arrays.copyOf(first, first.length + second.length + 1);
        both[first.length] = 0;
        System.arraycopy(second, 0, both, first.length + 1, second.length);
        return both;
    }

    private static Path readable(Optional<Path> file, String setting) throws TlsFilesException {
        if (file.isEmpty()) {
            throw new TlsFilesException("TLS needs both TLS_CERT_FILE and TLS_KEY_FILE; " + setting + " is not set");
        }
        if (!Files.isReadable(file.get()) || Files.isDirectory(file.get())) {
            throw new TlsFilesException(setting + " " + file.get() + " is not a readable file");
        }
        return file.get();
    }

    private static String reason(Exception unusable) {
        return unusable.getMessage() == null ? unusable.getClass().getSimpleName() : unusable.getMessage();
    }
}
