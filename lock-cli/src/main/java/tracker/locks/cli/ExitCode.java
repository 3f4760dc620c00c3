package tracker.locks.cli;

/** The CLI's own exit statuses (sysexits.h where one fits); a command run under a lock exits with its own. */
final class ExitCode {

    static final int OK = 0;
    /** get, renew or release of an id under which no lock is held. */
    static final int NOT_FOUND = 1;
    /** Bad usage: unknown option, missing argument, a bad duration (EX_USAGE). */
    static final int USAGE = 64;
    /** The server cannot be reached or fails (EX_UNAVAILABLE). */
    static final int UNAVAILABLE = 69;
    /** The lock was lost while the command ran; the command was stopped (EX_SOFTWARE). */
    static final int LOST = 70;
    /** The key is held and the wait ended (EX_TEMPFAIL): try again later. */
    static final int HELD = 75;
    /** The server refused the token (401, 403) (EX_NOPERM). */
    static final int NOT_ALLOWED = 77;

    private ExitCode() {
    }
}
