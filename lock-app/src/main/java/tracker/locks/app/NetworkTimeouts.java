package tracker.locks.app;

import java.time.Duration;

/**
 * The PostgreSQL driver's network timeouts the server sets unless the URL sets them: without them a database
 * behind a network that drops packets (a black hole: no answer, no reset) holds every request, and every pooled
 * connection, for as long as TCP keeps retrying — a quarter of an hour and more.
 *
 * <ul>
 *   <li>{@code connectTimeout}: how long opening a connection may take ({@value #CONNECT_SECONDS} s; the driver's
 *       own default is 10 s).
 *   <li>{@code loginTimeout}: how long opening a connection and logging in may take altogether
 *       ({@value #LOGIN_SECONDS} s): the socket timeout alone let one new connection take twice its time, because the
 *       driver, refused TLS by silence, tries again without it.
 *   <li>{@code socketTimeout}: how long the driver waits for any answer of the database: the statement timeout
 *       plus {@value #SOCKET_MARGIN_SECONDS} s, so a statement the database cancels in time is always answered by
 *       the database itself (with its error), and only a silent network runs into this.
 * </ul>
 */
final class NetworkTimeouts {

    static final int CONNECT_SECONDS = 3;
    static final int LOGIN_SECONDS = 5;
    static final int SOCKET_MARGIN_SECONDS = 2;

    private NetworkTimeouts() {
    }

    /** {@code url} with the timeouts it does not set itself; H2's and other URLs are returned as they are. */
    static String complete(String url, Duration statementTimeout) {
        if (!url.startsWith("jdbc:postgresql:")) {
            return url;
        }
        String completed = url;
        completed = withDefault(completed, "connectTimeout", CONNECT_SECONDS);
        completed = withDefault(completed, "loginTimeout", LOGIN_SECONDS);
        completed = withDefault(completed, "socketTimeout", statementTimeout.toSeconds() + SOCKET_MARGIN_SECONDS);
        return completed;
    }

    /** Option names are matched as the driver matches them: exactly, case included. */
    private static String withDefault(String url, String option, long seconds) {
        int query = url.indexOf('?');
        if (query >= 0 && (url.contains("?" + option + "=") || url.contains("&" + option + "="))) {
            return url;
        }
        return url + (query < 0 ? "?" : "&") + option + "=" + seconds;
    }
}
