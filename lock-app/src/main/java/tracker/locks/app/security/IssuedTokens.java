package tracker.locks.app.security;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import tracker.locks.domain.model.Principal;
import tracker.locks.domain.port.out.TokenDirectory;

/**
 * The tokens of one reading of the tokens file: for each, the SHA-256 of its secret and the principal it names.
 * Only hashes are kept; a presented secret is hashed and compared with every entry in constant time, so neither the
 * comparison nor the position of a match tells a guesser anything.
 */
final class IssuedTokens implements TokenDirectory {

    /** One issued token. */
    record Entry(byte[] sha256, Principal principal) {
    }

    private final List<Entry> entries;

    IssuedTokens(List<Entry> entries) {
        this.entries = List.copyOf(entries);
    }

    int size() {
        return entries.size();
    }

    @Override
    public Optional<Principal> principalOf(String secret) {
        byte[] presented = sha256(secret);
        Principal found = null;
        for (Entry entry : entries) {
            // No early exit: the time taken does not depend on which entry, if any, matches.
            if (MessageDigest.isEqual(entry.sha256(), presented)) {
                found = entry.principal();
            }
        }
        return Optional.ofNullable(found);
    }

    static byte[] sha256(String secret) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(secret.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException impossible) {
            throw new IllegalStateException("every Java runtime has SHA-256", impossible);
        }
    }

    static String sha256Hex(String secret) {
        return HexFormat.of().formatHex(sha256(secret));
    }
}
