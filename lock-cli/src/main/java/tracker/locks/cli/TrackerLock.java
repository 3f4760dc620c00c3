package tracker.locks.cli;

import java.io.PrintStream;
import java.net.URI;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import tracker.locks.client.HeldLock;
import tracker.locks.client.LockClient;
import tracker.locks.client.LockClientException;
import tracker.locks.client.LockHeldException;
import tracker.locks.client.LockInfo;
import tracker.locks.client.LockMode;
import tracker.locks.client.LockRejectedException;
import tracker.locks.client.LockRequest;
import tracker.locks.client.LockServerException;
import tracker.locks.client.WaitingClient;

/**
 * {@code tracker-lock}: run a command under a lock in one line, or take, look at and release locks from a shell.
 * Its own messages go to stderr; stdout carries only what a script reads (the lock JSON, an id, the table).
 */
public final class TrackerLock {

    static final String VERSION = "0.1.0";

    private final Map<String, String> env;
    private final PrintStream out;
    private final PrintStream err;

    TrackerLock(Map<String, String> env, PrintStream out, PrintStream err) {
        this.env = env;
        this.out = out;
        this.err = err;
    }

    public static void main(String[] args) {
        int status = new TrackerLock(System.getenv(), System.out, System.err).run(args);
        System.out.flush();
        System.exit(status);
    }

    int run(String[] args) {
        Options options;
        try {
            options = Options.parse(args, env);
        } catch (UsageException wrong) {
            return usage(wrong.getMessage());
        }
        try {
            return switch (options.action) {
                case "help" -> help();
                case "version" -> {
                    out.println("tracker-lock " + VERSION);
                    yield ExitCode.OK;
                }
                case "run" -> runCommand(options);
                case "acquire" -> acquire(options);
                case "release" -> release(options);
                case "renew" -> renew(options);
                case "get" -> get(options);
                case "list" -> list(options);
                case "queue" -> queue(options);
                default -> throw new UsageException("unknown command " + options.action);
            };
        } catch (UsageException wrong) {
            return usage(wrong.getMessage());
        } catch (LockServerException unavailable) {
            err.println("tracker-lock: " + unavailable.getMessage());
            return ExitCode.UNAVAILABLE;
        } catch (LockRejectedException refused) {
            err.println("tracker-lock: the server refused: " + refused.getMessage());
            return refused.status() == 401 || refused.status() == 403 ? ExitCode.NOT_ALLOWED : ExitCode.USAGE;
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
            return ExitCode.UNAVAILABLE;
        } catch (java.io.IOException failed) {
            err.println("tracker-lock: " + failed.getMessage());
            return ExitCode.UNAVAILABLE;
        }
    }

    private int runCommand(Options options) throws UsageException, java.io.IOException, InterruptedException {
        String service = options.single("SERVICE");
        List<String> command = options.shellCommand != null ? List.of("/bin/sh", "-c", options.shellCommand)
                : options.command;
        if (command.isEmpty()) {
            throw new UsageException("run needs a command: tracker-lock run SERVICE -- COMMAND [ARGS...]"
                    + " or tracker-lock run SERVICE -c 'shell command'");
        }
        if (options.shellCommand != null && !options.command.isEmpty()) {
            throw new UsageException("give either -c 'shell command' or -- COMMAND, not both");
        }
        try (LockClient client = client(options)) {
            HeldLock lock;
            try {
                lock = acquire(client, request(options, service), options);
            } catch (LockHeldException held) {
                err.println("tracker-lock: " + service + " is locked by " + describe(held, options));
                return options.conflictExitCode;
            }
            if (!options.quiet) {
                err.println("tracker-lock: locked " + service + " (" + holding(options) + "lock id " + lock.id()
                        + ", token " + lock.token() + "); running " + String.join(" ", command));
            }
            int status = new CommandUnderLock(err, options.quiet).run(command, lock, service, options.killGrace);
            try {
                lock.close();
            } catch (LockClientException notReleased) {
                err.println("tracker-lock: could not release the lock (it ends with its lease in "
                        + options.ttl.toSeconds() + "s): " + notReleased.getMessage());
            }
            return status;
        }
    }

    private int acquire(Options options) throws UsageException {
        String service = options.single("SERVICE");
        // The lock outlives this process: no renewal, so its lease is only what --ttl says (none by default).
        LockRequest request = request(options, service);
        if (!options.ttlGiven) {
            request = request.ttl(null);
        }
        try (LockClient client = client(options)) {
            HeldLock lock = acquire(client, request, options);
            if (options.quiet) {
                out.println(lock.id());
            } else {
                out.println(lock.info().toJson());
            }
            return ExitCode.OK;
        } catch (LockHeldException held) {
            err.println("tracker-lock: " + service + " is locked by " + describe(held, options));
            return options.conflictExitCode;
        }
    }

    /** Tries at once; when the key is held and there is a wait, says so and waits (a silent wait looks hung). */
    private HeldLock acquire(LockClient client, LockRequest request, Options options) {
        try {
            return client.acquire(request.waitingUpTo(null));
        } catch (LockHeldException held) {
            if (options.wait.isZero()) {
                throw held;
            }
            if (!options.quiet) {
                err.println("tracker-lock: " + request.service() + " is locked by " + describe(held, options)
                        + "; waiting up to " + options.wait.toSeconds() + "s");
            }
            return client.acquire(request);
        }
    }

    private int release(Options options) throws UsageException {
        String id = options.single("ID");
        try (LockClient client = client(options)) {
            if (!client.release(id)) {
                err.println("tracker-lock: no lock is held under " + id);
                return ExitCode.NOT_FOUND;
            }
            if (!options.quiet) {
                err.println("tracker-lock: released " + id);
            }
            return ExitCode.OK;
        }
    }

    private int renew(Options options) throws UsageException {
        String id = options.single("ID");
        if (!options.ttlGiven) {
            throw new UsageException("renew needs --ttl, the new lease (e.g. --ttl 10m)");
        }
        try (LockClient client = client(options)) {
            return found(id, client.renew(id, options.ttl));
        }
    }

    private int get(Options options) throws UsageException {
        String id = options.single("ID");
        try (LockClient client = client(options)) {
            return found(id, client.get(id));
        }
    }

    private int found(String id, Optional<LockInfo> lock) {
        if (lock.isEmpty()) {
            err.println("tracker-lock: no lock is held under " + id);
            return ExitCode.NOT_FOUND;
        }
        out.println(lock.get().toJson());
        return ExitCode.OK;
    }

    private int list(Options options) throws UsageException {
        if (!options.arguments.isEmpty()) {
            throw new UsageException("list takes no arguments, got " + String.join(" ", options.arguments));
        }
        try (LockClient client = client(options)) {
            List<LockInfo> locks = client.list();
            if (options.json) {
                out.println("[" + String.join(",", locks.stream().map(LockInfo::toJson).toList()) + "]");
            } else {
                out.print(LockTable.of(locks, Instant.now()));
            }
            return ExitCode.OK;
        }
    }

    /** {@code queue SERVICE}: who waits for the service's keys, in the order each key's line serves them. */
    private int queue(Options options) throws UsageException {
        String service = options.single("SERVICE");
        try (LockClient client = client(options)) {
            List<WaitingClient> waiting = client.queue(service, options.environment, options.resource);
            if (options.json) {
                out.println("[" + String.join(",", waiting.stream().map(WaitingClient::toJson).toList()) + "]");
            } else {
                out.print(QueueTable.of(waiting, Instant.now()));
            }
            return ExitCode.OK;
        }
    }

    private LockClient client(Options options) throws UsageException {
        URI server;
        try {
            server = URI.create(options.server);
        } catch (IllegalArgumentException notAUri) {
            throw new UsageException("--server must be a URL such as http://tracker:8080, got " + options.server);
        }
        if (server.getScheme() == null || !server.getScheme().matches("https?") || server.getHost() == null) {
            throw new UsageException("--server must be a URL such as http://tracker:8080, got " + options.server);
        }
        LockClient.Builder builder = LockClient.builder(server).token(options.token);
        if (options.caFile != null && !options.caFile.isBlank()) {
            try {
                builder.caFile(Path.of(options.caFile));
            } catch (IllegalArgumentException unusable) {
                throw new UsageException(unusable.getMessage());
            }
        }
        return builder.build();
    }

    private LockRequest request(Options options, String service) {
        return LockRequest.of(service, options.who != null ? options.who : Who.of(env))
                .environment(options.environment)
                .resource(options.resource)
                .ttl(options.ttl)
                .waitingUpTo(options.wait)
                .limit(options.limit)
                .mode(options.shared ? LockMode.SHARED : LockMode.EXCLUSIVE);
    }

    private static String describe(LockHeldException held, Options options) {
        return Holders.describe(held, options.limit, options.shared, Instant.now());
    }

    /** "limit 2, " or "shared, " before the lock id when the run holds the key with others; else nothing. */
    private static String holding(Options options) {
        if (options.shared) {
            return "shared, ";
        }
        return options.limit > 1 ? "limit " + options.limit + ", " : "";
    }

    private int usage(String problem) {
        err.println("tracker-lock: " + problem);
        err.println("Try: tracker-lock --help");
        return ExitCode.USAGE;
    }

    private int help() {
        out.print("""
                tracker-lock: run a command under a Tracker Locks lock, or take and release locks by hand.

                Usage:
                  tracker-lock run [options] SERVICE -- COMMAND [ARGS...]
                  tracker-lock run [options] SERVICE -c 'shell command'
                  tracker-lock acquire [options] SERVICE      prints the lock as JSON (-q: only its id)
                  tracker-lock release ID
                  tracker-lock renew ID --ttl DURATION
                  tracker-lock get ID
                  tracker-lock list [--json]                  a row per holder, with its mode and how many wait
                  tracker-lock queue [--json] SERVICE         who waits for SERVICE's keys, next first
                  tracker-lock --version | --help

                Options:
                  --server URL             the server (default $TRACKER_URL, else http://localhost:8080)
                  --token TOKEN            bearer token (default $TRACKER_TOKEN)
                  --cacert FILE            PEM CA of an https server (default $TRACKER_CA_FILE)
                  --who TEXT               who holds the lock (default: the CI job, else user@host:pid)
                  --environment E, --resource R   part of the lock's key (queue: only that key's line)
                  --ttl DURATION           the lease, renewed while the command runs (default 30s)
                  --wait DURATION          wait this long for a held lock (default 0: fail at once)
                  --limit N                at most N holders of the key at once, a semaphore (1 to 1000, default
                                           1); every holder of a key must ask for the same N
                  --shared                 hold the key together with other --shared holders, never with an
                                           exclusive one (readers and a migration); not with --limit above 1
                  --conflict-exit-code N   exit status when the lock is held (default 75)
                  --kill-grace DURATION    SIGTERM to SIGKILL when the lock is lost (default 5s)
                  -q, --quiet              no messages of its own but errors

                Durations: 500ms, 30s, 2m, 1h. The command gets TRACKER_LOCK_ID, TRACKER_LOCK_TOKEN (the fencing
                token) and TRACKER_LOCK_SERVICE. Exit status: the command's own (128+N when signal N ended it);
                75 held; 70 the lock was lost while it ran (it was stopped); 69 server unreachable or failing;
                77 token refused; 64 bad usage; 1 no lock under that id.

                Examples:
                  tracker-lock run production-deployment -- ./deploy.sh
                  tracker-lock run --wait 10m database-migration -c 'flyway migrate'
                  ID=$(tracker-lock acquire -q --ttl 1h nightly-report) && ... && tracker-lock release "$ID"
                  tracker-lock run --limit 2 --wait 30m --environment production deploy -- ./deploy.sh
                  tracker-lock run --shared --wait 5m orders-db -- ./report.sh
                """);
        return ExitCode.OK;
    }
}
