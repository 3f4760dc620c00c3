package tracker.locks.app.security;

/** TLS settings or files the server cannot use, with a message naming the setting or file. */
public final class TlsFilesException extends Exception {

    TlsFilesException(String message) {
        super(message);
    }
}
