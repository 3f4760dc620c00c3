package tracker.locks.app.security;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tracker.locks.domain.model.Principal;
import tracker.locks.domain.port.out.TokenDirectory;

/**
 * The tokens of the tokens file as it is now: {@link #check()} (called every couple of seconds) re-reads the file
 * and, when its content changed, takes the new tokens. A file that no longer parses, or has gone, keeps the tokens
 * in force and logs an error naming the line, so a half-saved edit never locks everyone out.
 */
public final class TokensFileWatch implements TokenDirectory {

    private static final Logger LOG = LoggerFactory.getLogger(TokensFileWatch.class);

    private final Path file;
    private volatile IssuedTokens tokens;
    private byte[] lastRead;

    private TokensFileWatch(Path file, byte[] content, IssuedTokens tokens) {
        this.file = file;
        this.lastRead = content;
        this.tokens = tokens;
    }

    /** Reads the file for the first time. @throws TokensFileException when it is missing or wrong: the start stops */
    public static TokensFileWatch open(Path file) throws TokensFileException {
        byte[] content = read(file);
        TokensFileWatch watch = new TokensFileWatch(file, content, parse(file, content));
        LOG.info("authentication on: {} tokens from {}", watch.tokens.size(), file);
        return watch;
    }

    @Override
    public Optional<Principal> principalOf(String secret) {
        return tokens.principalOf(secret);
    }

    /** Takes the file's tokens if its content changed since the last reading. */
    public synchronized void check() {
        byte[] content;
        try {
            content = read(file);
        } catch (TokensFileException gone) {
            LOG.error("{}; the {} tokens read before stay in force", gone.getMessage(), tokens.size());
            return;
        }
        if (Arrays.equals(content, lastRead)) {
            return;
        }
        lastRead = content;
        try {
            tokens = parse(file, content);
            LOG.info("tokens file {} re-read: {} tokens in force", file, tokens.size());
        } catch (TokensFileException broken) {
            LOG.error("{}; the {} tokens read before stay in force", broken.getMessage(), tokens.size());
        }
    }

    private static byte[] read(Path file) throws TokensFileException {
        try {
            return Files.readAllBytes(file);
        } catch (IOException unreadable) {
            throw new TokensFileException("cannot read the tokens file " + file + " (AUTH_TOKENS_FILE): "
                    + unreadable.getClass().getSimpleName() + " " + unreadable.getMessage());
        }
    }

    private static IssuedTokens parse(Path file, byte[] content) throws TokensFileException {
        return TokensFile.parse(new String(content, StandardCharsets.UTF_8), "tokens file " + file);
    }
}
