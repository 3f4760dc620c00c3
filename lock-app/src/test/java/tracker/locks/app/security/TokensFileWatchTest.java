package tracker.locks.app.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Editing the tokens file takes effect at the next look; a broken or missing file keeps the tokens in force. */
class TokensFileWatchTest {

    @TempDir
    Path directory;

    @Test
    void anAddedTokenWorksAndARemovedOneStopsWorkingWithoutARestart() throws Exception {
        Path file = write("tokens.yml", entry("deployer", "trk_one"));
        TokensFileWatch tokens = TokensFileWatch.open(file);
        assertThat(tokens.principalOf("trk_one")).isPresent();
        assertThat(tokens.principalOf("trk_two")).isEmpty();

        write("tokens.yml", entry("deployer", "trk_one") + entry("reporter", "trk_two"));
        tokens.check();
        assertThat(tokens.principalOf("trk_two").orElseThrow().name()).isEqualTo("reporter");

        write("tokens.yml", entry("reporter", "trk_two"));
        tokens.check();
        assertThat(tokens.principalOf("trk_one")).as("revoked").isEmpty();
        assertThat(tokens.principalOf("trk_two")).isPresent();
    }

    @Test
    void aFileThatNoLongerParsesOrIsGoneKeepsTheTokensInForce() throws Exception {
        Path file = write("tokens.yml", entry("deployer", "trk_one"));
        TokensFileWatch tokens = TokensFileWatch.open(file);

        write("tokens.yml", "tokens:\n  - name: half-saved\n    sha256: [\n");
        tokens.check();
        assertThat(tokens.principalOf("trk_one")).isPresent();

        Files.delete(file);
        tokens.check();
        assertThat(tokens.principalOf("trk_one")).isPresent();

        write("tokens.yml", entry("fixed", "trk_three"));
        tokens.check();
        assertThat(tokens.principalOf("trk_three")).isPresent();
        assertThat(tokens.principalOf("trk_one")).isEmpty();
    }

    @Test
    void aBadFileAtStartUpIsRefusedNamingTheFileAndTheLine() throws Exception {
        Path file = write("tokens.yml", "tokens:\n  - name: a\n    sha256: 00\n    scopes: [read]\n");

        assertThatThrownBy(() -> TokensFileWatch.open(file))
                .hasMessageStartingWith("tokens file " + file + ", entry at line 2: sha256 must be");
        assertThatThrownBy(() -> TokensFileWatch.open(directory.resolve("missing.yml")))
                .hasMessageStartingWith("cannot read the tokens file " + directory.resolve("missing.yml"));
    }

    private Path write(String name, String content) throws IOException {
        Path file = directory.resolve(name);
        Files.writeString(file, content.startsWith("tokens:") ? content : "tokens:\n" + content);
        return file;
    }

    private static String entry(String name, String secret) {
        return TokenCommand.entry(name, IssuedTokens.sha256Hex(secret), java.util.List.of("read", "write"),
                java.util.List.of());
    }
}
