package tracker.locks.app.security;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.nio.file.Path;
import java.util.Optional;

/** The {@code security.tls:} settings: PEM files; all blank, the ports speak plain HTTP and plaintext gRPC. */
public class TlsConfiguration {

    private String certFile;
    private String keyFile;
    private String clientCaFile;

    /** Whether any TLS setting is given: then the certificate and key must be. */
    public boolean enabled() {
        return certificateFile().isPresent() || keyFile().isPresent() || clientCaFile().isPresent();
    }

    Optional<Path> certificateFile() {
        return path(certFile);
    }

    Optional<Path> keyFile() {
        return path(keyFile);
    }

    Optional<Path> clientCaFile() {
        return path(clientCaFile);
    }

    private static Optional<Path> path(String setting) {
        return setting == null || setting.isBlank() ? Optional.empty() : Optional.of(Path.of(setting.strip()));
    }

    @JsonProperty
    public String getCertFile() {
        return certFile;
    }

    @JsonProperty
    public void setCertFile(String certFile) {
        this.certFile = certFile;
    }

    @JsonProperty
    public String getKeyFile() {
        return keyFile;
    }

    @JsonProperty
    public void setKeyFile(String keyFile) {
        this.keyFile = keyFile;
    }

    @JsonProperty
    public String getClientCaFile() {
        return clientCaFile;
    }

    @JsonProperty
    public void setClientCaFile(String clientCaFile) {
        this.clientCaFile = clientCaFile;
    }
}
