package tracker.locks.testkit;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;

/**
 * A stand-in for the server jar, launched by ServerProcessTest as a real process: it binds the ports it is given
 * as the server does (and dies, as the server does, when one is taken), then answers its health check.
 */
public final class PortTakingServer {

    private PortTakingServer() {
    }

    public static void main(String[] args) throws IOException {
        ServerSocket http = bind("HTTP_PORT");
        ServerSocket grpc = bind("GRPC_PORT");
        HttpServer admin = HttpServer.create(new InetSocketAddress(ServerProcess.HOST,
                Integer.parseInt(System.getenv("METRICS_PORT"))), 0);
        admin.createContext("/healthcheck", exchange -> {
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
        });
        admin.start();
        System.out.println("listening on " + http.getLocalPort() + " and " + grpc.getLocalPort());
    }

    private static ServerSocket bind(String variable) throws IOException {
        ServerSocket socket = new ServerSocket();
        socket.bind(new InetSocketAddress(ServerProcess.HOST, Integer.parseInt(System.getenv(variable))));
        return socket;
    }
}
