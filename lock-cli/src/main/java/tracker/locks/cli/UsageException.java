package tracker.locks.cli;

/** The command line is wrong: the message says how; the CLI prints it with a pointer to --help and exits 64. */
final class UsageException extends Exception {

    UsageException(String message) {
        super(message);
    }
}
