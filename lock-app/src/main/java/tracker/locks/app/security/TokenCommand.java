package tracker.locks.app.security;

import io.dropwizard.core.cli.Command;
import io.dropwizard.core.setup.Bootstrap;
import java.io.PrintStream;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import net.sourceforge.argparse4j.inf.Namespace;
import net.sourceforge.argparse4j.inf.Subparser;
import tracker.locks.domain.model.Scope;

/**
 * {@code token create --name NAME --scopes read,write [--services 'deploy-*,db-*']}: prints a fresh token once, and
 * the tokens-file entry that holds its hash. The server never sees or stores the token itself.
 */
public final class TokenCommand extends Command {

    /** 256 random bits: far beyond guessing, and URL-safe in base64 without padding (43 characters). */
    static final int TOKEN_BYTES = 32;
    /** Marks our tokens, so that secret scanners and people recognise one that leaked into a log or a commit. */
    static final String PREFIX = "trk_";

    private static final SecureRandom RANDOM = new SecureRandom();

    public TokenCommand() {
        super("token", "Creates access tokens for the tokens file (AUTH_TOKENS_FILE)");
    }

    @Override
    public void configure(Subparser subparser) {
        Subparser create = subparser.addSubparsers().dest("action").title("actions")
                .addParser("create").help("print a new token and its tokens-file entry");
        create.addArgument("--name").required(true)
                .help("the principal: recorded as the owner of every lock taken with the token");
        create.addArgument("--scopes").required(true).help("comma-separated: read, write, admin");
        create.addArgument("--services").help("comma-separated glob patterns of the services it may use; default all");
    }

    @Override
    public void run(Bootstrap<?> bootstrap, Namespace namespace) throws Exception {
        PrintStream out = System.out;
        String name = namespace.getString("name").strip();
        List<String> scopes = scopes(namespace.getString("scopes"));
        List<String> services = words(namespace.getString("services"));
        String token = PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(randomBytes());
        String entry = entry(name, IssuedTokens.sha256Hex(token), scopes, services);
        // Check the entry exactly as the server will read it, before anyone pastes it.
        TokensFile.parse("tokens:\n" + entry, "the new entry");
        out.println("Token for " + name + " (shown only now; keep it as a secret, e.g. in your CI's secret store):");
        out.println();
        out.println("  " + token);
        out.println();
        out.println("Add this entry under \"tokens:\" in the tokens file (AUTH_TOKENS_FILE); the server picks it up"
                + " within seconds:");
        out.println();
        out.print(entry);
    }

    @Override
    public void onError(io.dropwizard.core.cli.Cli cli, Namespace namespace, Throwable error) {
        cli.getStdErr().println("token create: " + error.getMessage());
    }

    private static byte[] randomBytes() {
        byte[] bytes = new byte[TOKEN_BYTES];
        RANDOM.nextBytes(bytes);
        return bytes;
    }

    private static List<String> scopes(String list) throws TokensFileException {
        List<String> scopes = new ArrayList<>();
        for (String word : words(list)) {
            Scope scope = TokensFile.scope(word, "--scopes");
            scopes.add(scope.name().toLowerCase(Locale.ROOT));
        }
        if (scopes.isEmpty()) {
            throw new TokensFileException("--scopes must list at least one of read, write, admin");
        }
        return scopes;
    }

    private static List<String> words(String list) {
        List<String> words = new ArrayList<>();
        if (list != null) {
            for (String word : list.split(",")) {
                if (!word.isBlank()) {
                    words.add(word.strip());
                }
            }
        }
        return words;
    }

    /** The YAML entry, with every string quoted so that names and patterns like {@code *-prod} stay strings. */
    static String entry(String name, String sha256, List<String> scopes, List<String> services) {
        StringBuilder yaml = new StringBuilder()
                .append("  - name: ").append(quoted(name)).append('\n')
                .append("    sha256: ").append(sha256).append('\n')
                .append("    scopes: [").append(String.join(", ", scopes)).append("]\n");
        if (!services.isEmpty()) {
            yaml.append("    services: [")
                    .append(String.join(", ", services.stream().map(TokenCommand::quoted).toList()))
                    .append("]\n");
        }
        return yaml.toString();
    }

    private static String quoted(String text) {
        return '"' + text.replace("\\", "\\\\").replace("\"", "\\\"") + '"';
    }
}
