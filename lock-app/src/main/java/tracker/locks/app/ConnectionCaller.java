package tracker.locks.app;

import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.ByteBuffer;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.util.BufferUtil;
import tracker.locks.domain.port.in.Caller;

/**
 * A REST client as its HTTP/1.1 connection shows it: gone once it has closed the connection or reset it.
 *
 * <p>Why it reads: while a request is handled, Jetty does not read its HTTP/1.1 connection, so a client that
 * disconnects (a CI job cancelled while it waits for a lock) gives no sign until the answer is written. Each look
 * tries to read one byte without blocking: end of stream or an error means the client has gone; nothing means it is
 * still there. A byte means the client sent more before its answer (a pipelined request, which no common client
 * does): that byte is now taken, so the connection closes after this answer and the watch stops. A client that
 * only shuts its sending side and still reads looks gone too: HTTP clients do not do that while they wait.
 *
 * <p>Asked by whichever thread looks at a waiting request (its handler's at first, then the domain's waiting
 * room's), one at a time: {@link #hasGivenUp} is synchronized.
 */
final class ConnectionCaller implements Caller {

    private final EndPoint connection;
    private final HttpServletResponse response;
    private boolean gone;
    private boolean stoppedWatching;

    ConnectionCaller(EndPoint connection, HttpServletResponse response) {
        this.connection = connection;
        this.response = response;
    }

    @Override
    public synchronized boolean hasGivenUp() {
        if (gone || stoppedWatching) {
            return gone;
        }
        if (!connection.isOpen()) {
            gone = true;
            return true;
        }
        try {
            ByteBuffer probe = BufferUtil.allocate(1);
            int read = connection.fill(probe);
            if (read < 0) {
                gone = true;
            } else if (read > 0) {
                stoppedWatching = true;
                response.setHeader("Connection", "close");
            }
        } catch (IOException reset) {
            gone = true;
        }
        return gone;
    }
}
