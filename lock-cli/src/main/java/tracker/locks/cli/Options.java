package tracker.locks.cli;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The command line: a subcommand, its positional arguments, the options (anywhere before {@code --}), and for
 * {@code run} the command after {@code --} or the shell command of {@code -c}.
 */
final class Options {

    private static final Pattern DURATION = Pattern.compile("(\\d+)(ms|s|m|h)?");
    /** The server's range of a semaphore's limit (the most holders a key can have). */
    static final int MAX_LIMIT = 1000;

    String action;
    final List<String> arguments = new ArrayList<>();
    String server;
    String token;
    String caFile;
    String who;
    String environment;
    String resource;
    Duration ttl = Duration.ofSeconds(30);
    boolean ttlGiven;
    Duration wait = Duration.ZERO;
    Duration killGrace = Duration.ofSeconds(5);
    int conflictExitCode = ExitCode.HELD;
    /** How many may hold the key at once (a semaphore); 1: the plain lock. */
    int limit = 1;
    boolean shared;
    boolean quiet;
    boolean json;
    String shellCommand;
    List<String> command = List.of();

    static Options parse(String[] args, Map<String, String> env) throws UsageException {
        Options options = new Options();
        options.server = env.getOrDefault("TRACKER_URL", "http://localhost:8080");
        options.token = env.get("TRACKER_TOKEN");
        options.caFile = env.get("TRACKER_CA_FILE");
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            if (arg.equals("--")) {
                options.command = List.of(args).subList(i + 1, args.length);
                break;
            }
            String value = null;
            String name = arg;
            int equals = arg.indexOf('=');
            if (arg.startsWith("--") && equals > 0) {
                name = arg.substring(0, equals);
                value = arg.substring(equals + 1);
            }
            switch (name) {
                case "--help", "-h" -> options.action = "help";
                case "--version" -> options.action = "version";
                case "--quiet", "-q" -> options.quiet = true;
                case "--json" -> options.json = true;
                case "--shared" -> options.shared = true;
                case "--server", "--token", "--cacert", "--who", "--environment", "--resource", "--ttl", "--wait",
                     "--kill-grace", "--conflict-exit-code", "--limit", "-c" -> {
                    if (value == null) {
                        if (i + 1 >= args.length) {
                            throw new UsageException(name + " needs a value");
                        }
                        value = args[++i];
                    }
                    options.set(name, value);
                }
                default -> {
                    if (arg.startsWith("-") && arg.length() > 1) {
                        throw new UsageException("unknown option " + arg);
                    }
                    if (options.action == null) {
                        options.action = arg;
                    } else {
                        options.arguments.add(arg);
                    }
                }
            }
        }
        if (options.action == null) {
            throw new UsageException("no command given");
        }
        // Checked once all options are read, so that their order does not matter.
        if (options.shared && options.limit > 1) {
            throw new UsageException("--shared and --limit " + options.limit + " do not go together: shared holders"
                    + " are not counted against a limit (--limit is for exclusive holders)");
        }
        return options;
    }

    private void set(String name, String value) throws UsageException {
        switch (name) {
            case "--server" -> server = value;
            case "--token" -> token = value;
            case "--cacert" -> caFile = value;
            case "--who" -> who = value;
            case "--environment" -> environment = value;
            case "--resource" -> resource = value;
            case "--ttl" -> {
                ttl = duration(name, value);
                ttlGiven = true;
                if (ttl.isZero()) {
                    throw new UsageException("--ttl must be more than 0");
                }
            }
            case "--wait" -> wait = duration(name, value);
            case "--kill-grace" -> killGrace = duration(name, value);
            case "--conflict-exit-code" -> {
                try {
                    conflictExitCode = Integer.parseInt(value);
                } catch (NumberFormatException notANumber) {
                    conflictExitCode = -1;
                }
                if (conflictExitCode < 0 || conflictExitCode > 255) {
                    throw new UsageException("--conflict-exit-code must be a number from 0 to 255, got " + value);
                }
            }
            case "--limit" -> limit = limit(value);
            case "-c" -> shellCommand = value;
            default -> throw new IllegalStateException(name);
        }
    }

    /** {@code 500ms}, {@code 30s}, {@code 2m}, {@code 1h}; a bare number is seconds. */
    static Duration duration(String option, String value) throws UsageException {
        Matcher matcher = DURATION.matcher(value.strip().toLowerCase(Locale.ROOT));
        if (!matcher.matches() || matcher.group(1).length() > 9) {
            throw new UsageException(option + " must be a duration such as 500ms, 30s, 2m or 1h, got " + value);
        }
        long amount = Long.parseLong(matcher.group(1));
        String unit = matcher.group(2) == null ? "s" : matcher.group(2);
        return switch (unit) {
            case "ms" -> Duration.ofMillis(amount);
            case "m" -> Duration.ofMinutes(amount);
            case "h" -> Duration.ofHours(amount);
            default -> Duration.ofSeconds(amount);
        };
    }

    /** A semaphore's limit: a whole number from 1 to {@value #MAX_LIMIT}. */
    static int limit(String value) throws UsageException {
        String digits = value.strip();
        // At most 4 digits before parsing, so that no number is too long for an int.
        int parsed = digits.matches("\\d{1,4}") ? Integer.parseInt(digits) : -1;
        if (parsed < 1 || parsed > MAX_LIMIT) {
            throw new UsageException("--limit must be a whole number from 1 to " + MAX_LIMIT + ", got " + value);
        }
        return parsed;
    }

    /** The one positional argument {@code what} names, or a usage error. */
    String single(String what) throws UsageException {
        if (arguments.size() != 1) {
            throw new UsageException(action + " needs exactly one " + what + (arguments.isEmpty() ? ""
                    : ", got " + String.join(" ", arguments)));
        }
        return arguments.get(0);
    }
}
