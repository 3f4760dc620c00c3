package tracker.locks.app.security;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import tracker.locks.domain.model.Principal;
import tracker.locks.domain.model.Scope;
import tracker.locks.domain.model.ServicePatterns;

/**
 * Reads the tokens file (README, Security):
 * <pre>
 * tokens:
 *   - name: ci-deployer
 *     sha256: 3a7bd3e2…   # of the secret, lower-case hex
 *     scopes: [read, write]
 *     services: ["deploy-*"]   # optional; absent: every service
 * </pre>
 * Every mistake is reported with the line it is on: the operator fixes the file, not a guess.
 */
final class TokensFile {

    /** The longest name: names are recorded as lock owners, in a column of this size. */
    static final int MAX_NAME_LENGTH = 255;

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory())
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES);

    /** One entry as written in the file, before it is checked. */
    private record WrittenEntry(String name, String sha256, List<String> scopes, List<String> services) {
    }

    private TokensFile() {
    }

    /** @param source the file's name, for messages */
    static IssuedTokens parse(String text, String source) throws TokensFileException {
        try (JsonParser parser = YAML.createParser(text)) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                throw new TokensFileException(source
                        + ": expected a map with a \"tokens:\" list (see README, Security)");
            }
            List<IssuedTokens.Entry> entries = null;
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String field = parser.currentName();
                int line = lineOf(parser.currentLocation());
                if (!field.equals("tokens")) {
                    throw new TokensFileException(source + ", line " + line + ": unknown key \"" + field
                            + "\"; the file holds one key, \"tokens\"");
                }
                entries = entries(parser, source, line);
            }
            if (entries == null) {
                throw new TokensFileException(source + ": no \"tokens:\" list (see README, Security)");
            }
            return new IssuedTokens(entries);
        } catch (JsonProcessingException malformed) {
            // The YAML parser's message runs over several lines and calls its input 'reader': keep its first line.
            throw new TokensFileException(source + ", line " + lineOf(malformed.getLocation()) + ": "
                    + malformed.getOriginalMessage().strip().lines().findFirst().orElse("not valid YAML"));
        } catch (IOException unreadable) {
            throw new TokensFileException(source + ": " + unreadable.getMessage());
        }
    }

    private static List<IssuedTokens.Entry> entries(JsonParser parser, String source, int line)
            throws IOException, TokensFileException {
        if (parser.nextToken() != JsonToken.START_ARRAY) {
            throw new TokensFileException(source + ", line " + line + ": \"tokens\" must be a list of entries");
        }
        List<IssuedTokens.Entry> entries = new ArrayList<>();
        Set<String> hashes = new HashSet<>();
        while (parser.nextToken() != JsonToken.END_ARRAY) {
            int entryLine = lineOf(parser.currentLocation());
            if (parser.currentToken() != JsonToken.START_OBJECT) {
                throw new TokensFileException(source + ", line " + entryLine
                        + ": each token is a map with name, sha256 and scopes");
            }
            String where = source + ", entry at line " + entryLine;
            IssuedTokens.Entry entry = checked(read(parser, where), where);
            if (!hashes.add(HexFormat.of().formatHex(entry.sha256()))) {
                throw new TokensFileException(where
                        + ": this sha256 is already in the file; each token is listed once");
            }
            entries.add(entry);
        }
        return entries;
    }

    /** The entry at the parser, its type errors in the operator's words rather than Jackson's. */
    private static WrittenEntry read(JsonParser parser, String where) throws IOException, TokensFileException {
        try {
            return parser.readValueAs(WrittenEntry.class);
        } catch (UnrecognizedPropertyException unknown) {
            throw new TokensFileException(where + ": unknown field \"" + unknown.getPropertyName()
                    + "\"; an entry has name, sha256, scopes and services");
        } catch (MismatchedInputException wrongType) {
            String field = wrongType.getPath().isEmpty() ? "the entry"
                    : String.valueOf(wrongType.getPath().get(0).getFieldName());
            throw new TokensFileException(where + ": " + field + " has the wrong form: name and sha256 are text,"
                    + " scopes and services lists such as [read, write]");
        }
    }

    private static IssuedTokens.Entry checked(WrittenEntry written, String where) throws TokensFileException {
        String name = written.name();
        if (name == null || name.isBlank()) {
            throw new TokensFileException(where + ": a token needs a name (recorded as the owner of its locks)");
        }
        if (name.length() > MAX_NAME_LENGTH || name.chars().anyMatch(Character::isISOControl)) {
            throw new TokensFileException(where + ": name must be at most " + MAX_NAME_LENGTH
                    + " characters without control characters");
        }
        String sha256 = written.sha256();
        if (sha256 == null || !sha256.matches("[0-9a-fA-F]{64}")) {
            throw new TokensFileException(where + ": sha256 must be the 64 hex digits of the token's SHA-256"
                    + " (\"token create\" prints it)");
        }
        if (written.scopes() == null || written.scopes().isEmpty()) {
            throw new TokensFileException(where + ": scopes must list at least one of read, write, admin");
        }
        EnumSet<Scope> scopes = EnumSet.noneOf(Scope.class);
        for (String scope : written.scopes()) {
            scopes.add(scope(scope, where));
        }
        List<String> services = written.services() == null ? List.of() : written.services();
        for (String pattern : services) {
            if (pattern == null || pattern.isBlank() || pattern.length() > MAX_NAME_LENGTH) {
                throw new TokensFileException(where + ": each service pattern must be 1 to " + MAX_NAME_LENGTH
                        + " characters");
            }
        }
        if (written.services() != null && services.isEmpty()) {
            throw new TokensFileException(where + ": services is empty, which would allow nothing;"
                    + " leave it out to allow every service");
        }
        return new IssuedTokens.Entry(HexFormat.of().parseHex(sha256.toLowerCase(Locale.ROOT)),
                new Principal(name, scopes, new ServicePatterns(services)));
    }

    /** The scope a word in the file names. */
    static Scope scope(String word, String where) throws TokensFileException {
        for (Scope scope : Scope.values()) {
            if (scope.name().equalsIgnoreCase(word == null ? "" : word.strip())) {
                return scope;
            }
        }
        throw new TokensFileException(where + ": unknown scope \"" + word + "\"; scopes are read, write, admin");
    }

    private static int lineOf(JsonLocation location) {
        return location == null ? 0 : location.getLineNr();
    }
}
