package tracker.locks.app.security;

/** A tokens file that cannot be used, with a message naming the file and, where it can, the line. */
public final class TokensFileException extends Exception {

    TokensFileException(String message) {
        super(message);
    }
}
