package tracker.locks.app.security;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.dropwizard.util.Duration;
import io.dropwizard.validation.MinDuration;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/** The {@code security:} settings (README, Security). All off by default: the guide's open service. */
public class SecurityConfiguration {

    /** The tokens file ({@code AUTH_TOKENS_FILE}); blank: authentication off. */
    private String tokensFile;

    @Valid
    @NotNull
    private TlsConfiguration tls = new TlsConfiguration();

    /** How often the tokens file and the TLS files are looked at for changes. */
    @NotNull
    @MinDuration(value = 100, unit = TimeUnit.MILLISECONDS)
    private Duration reloadInterval = Duration.seconds(2);

    /** The tokens file, when authentication is on. */
    public Optional<Path> tokensFile() {
        return tokensFile == null || tokensFile.isBlank() ? Optional.empty() : Optional.of(Path.of(tokensFile.strip()));
    }

    @JsonProperty
    public String getTokensFile() {
        return tokensFile;
    }

    @JsonProperty
    public void setTokensFile(String tokensFile) {
        this.tokensFile = tokensFile;
    }

    @JsonProperty
    public TlsConfiguration getTls() {
        return tls;
    }

    @JsonProperty
    public void setTls(TlsConfiguration tls) {
        this.tls = tls;
    }

    @JsonProperty
    public Duration getReloadInterval() {
        return reloadInterval;
    }

    @JsonProperty
    public void setReloadInterval(Duration reloadInterval) {
        this.reloadInterval = reloadInterval;
    }
}
