package tracker.locks.testkit;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The proxy between a client and an echo server, all on real loopback sockets. */
@Timeout(60)
class FaultyProxyTest {

    private static final Duration LATENCY = Duration.ofMillis(200);
    /** How long a read that should succeed may take: long, as a slow machine may pause, but never endless. */
    private static final int READ_TIMEOUT_MILLIS = 10_000;
    /** How long a read waits to show that nothing comes. */
    private static final int SILENCE_MILLIS = 1_000;

    private EchoServer echo;
    private FaultyProxy proxy;

    @BeforeEach
    void start() throws IOException {
        echo = EchoServer.start();
        proxy = FaultyProxy.start(EchoServer.HOST, echo.port());
    }

    @AfterEach
    void stop() {
        proxy.close();
        echo.close();
    }

    @Test
    void bytesPassThroughUnchangedBothWays() throws Exception {
        byte[] sent = new byte[100 * 1024];
        new Random(42).nextBytes(sent);

        try (Socket client = connect()) {
            // Written while being read, so neither side waits for the other's buffers.
            CompletableFuture<Void> writing = inBackground(() -> client.getOutputStream().write(sent));
            byte[] received = client.getInputStream().readNBytes(sent.length);
            writing.get(READ_TIMEOUT_MILLIS, TimeUnit.MILLISECONDS);

            assertThat(received).isEqualTo(sent);
            assertThat(proxy.bytesForwarded()).isEqualTo(2L * sent.length);
            assertThat(proxy.openConnections()).isEqualTo(1);
        }
    }

    @Test
    void aDelayIsAddedOnceEachWayAndDoesNotAccumulate() throws Exception {
        try (Socket client = connect()) {
            roundTrip(client, "warm-up");
            proxy.delay(LATENCY);

            long start = System.nanoTime();
            roundTrip(client, "one");
            assertThat(since(start)).isGreaterThanOrEqualTo(LATENCY.multipliedBy(2))
                    .isLessThan(Duration.ofSeconds(2));

            StringBuilder expected = new StringBuilder();
            OutputStream out = client.getOutputStream();
            long firstWrite = System.nanoTime();
            for (int i = 0; i < 20; i++) {
                String message = String.format("%02d;", i);
                expected.append(message);
                // Each its own segment (TCP_NODELAY), so the proxy sees many small chunks read one after another.
                out.write(message.getBytes(US_ASCII));
            }
            InputStream in = client.getInputStream();
            int firstByte = in.read();
            Duration firstArrival = since(firstWrite);
            byte[] rest = in.readNBytes(expected.length() - 1);
            Duration lastArrival = since(firstWrite);

            assertThat((char) firstByte + new String(rest, US_ASCII)).isEqualTo(expected.toString());
            assertThat(firstArrival).isGreaterThanOrEqualTo(LATENCY.multipliedBy(2));
            // Accumulated latencies would take 20 × 400 ms.
            assertThat(lastArrival).isLessThan(Duration.ofSeconds(1));
        }
    }

    @Test
    void aDelayOfZeroRemovesTheDelay() throws Exception {
        try (Socket client = connect()) {
            proxy.delay(LATENCY);
            roundTrip(client, "slow");
            proxy.delay(Duration.ZERO);

            long start = System.nanoTime();
            roundTrip(client, "fast");
            assertThat(since(start)).isLessThan(LATENCY.multipliedBy(2));
        }
    }

    @Test
    void aBlackHoleHoldsBytesAndNewConnectionsUntilItHeals() throws Exception {
        try (Socket early = connect()) {
            roundTrip(early, "before");
            proxy.blackHole();
            long forwarded = proxy.bytesForwarded();

            early.getOutputStream().write("held".getBytes(US_ASCII));
            assertSilent(early);

            try (Socket during = connect()) {
                during.getOutputStream().write("late".getBytes(US_ASCII));
                assertSilent(during);
                eventually(() -> proxy.openConnections() == 2);
                assertThat(echo.accepted()).as("connections the echo server accepted").isEqualTo(1);
                assertThat(proxy.bytesForwarded()).isEqualTo(forwarded);

                proxy.heal();

                assertThat(read(early, 4)).isEqualTo("held");
                assertThat(read(during, 4)).isEqualTo("late");
                roundTrip(early, "after, early");
                roundTrip(during, "after, during");
                assertThat(echo.accepted()).isEqualTo(2);
            }
        }
    }

    @Test
    void aCutResetsBothSidesAndLaterConnectionsAreForwarded() throws Exception {
        try (Socket cutOff = connect()) {
            roundTrip(cutOff, "before");

            assertThat(proxy.cut()).isEqualTo(1);
            assertThat(proxy.openConnections()).isZero();
            assertThat(connectionThreads()).isEmpty();

            cutOff.setSoTimeout(2_000);
            long start = System.nanoTime();
            assertEndedOrReset(cutOff);
            assertThat(since(start)).isLessThan(Duration.ofSeconds(2));
            assertThat(echo.nextEnding()).as("how the echo server's side ended").startsWith("failed");
        }
        try (Socket next = connect()) {
            roundTrip(next, "after");
            assertThat(proxy.openConnections()).isEqualTo(1);
        }
    }

    @Test
    void aNormalCloseIsPassedOnAndLeavesNoThreadBehind() throws Exception {
        try (Socket client = connect()) {
            roundTrip(client, "bye");
            client.shutdownOutput();

            // The echo server saw the end of stream, and half closed back.
            assertThat(client.getInputStream().read()).isEqualTo(-1);
            assertThat(echo.nextEnding()).isEqualTo("end of stream");
            eventually(() -> proxy.openConnections() == 0);
            eventually(() -> connectionThreads().isEmpty());
        }
    }

    @Test
    void closeStopsListeningAndEndsEveryConnection() throws Exception {
        try (Socket open = connect()) {
            roundTrip(open, "before");
            assertThat(proxy.openConnections()).isEqualTo(1);

            proxy.close();

            assertThat(proxy.openConnections()).isZero();
            assertThatThrownBy(() -> new Socket(proxy.host(), proxy.port()).close())
                    .isInstanceOf(ConnectException.class);
            open.setSoTimeout(2_000);
            assertEndedOrReset(open);
            assertThat(proxyThreads(proxy.port() + "-")).isEmpty();
            proxy.close();
        }
    }

    private Socket connect() throws IOException {
        Socket socket = new Socket();
        socket.setTcpNoDelay(true);
        socket.connect(new InetSocketAddress(proxy.host(), proxy.port()), READ_TIMEOUT_MILLIS);
        socket.setSoTimeout(READ_TIMEOUT_MILLIS);
        return socket;
    }

    private static void roundTrip(Socket socket, String message) throws IOException {
        socket.getOutputStream().write(message.getBytes(US_ASCII));
        assertThat(read(socket, message.length())).isEqualTo(message);
    }

    private static String read(Socket socket, int length) throws IOException {
        return new String(socket.getInputStream().readNBytes(length), US_ASCII);
    }

    /** Nothing comes within a second, and the connection is still open: the read times out, it does not end. */
    private static void assertSilent(Socket socket) throws IOException {
        socket.setSoTimeout(SILENCE_MILLIS);
        assertThatThrownBy(() -> socket.getInputStream().read()).isInstanceOf(SocketTimeoutException.class);
        socket.setSoTimeout(READ_TIMEOUT_MILLIS);
    }

    /** The next read ends the stream or fails, and does not merely time out. */
    private static void assertEndedOrReset(Socket socket) {
        try {
            assertThat(socket.getInputStream().read()).isEqualTo(-1);
        } catch (SocketTimeoutException e) {
            throw new AssertionError("the connection is still open", e);
        } catch (IOException reset) {
            assertThat(reset).hasMessageContaining("reset");
        }
    }

    private static Duration since(long startNanos) {
        return Duration.ofNanos(System.nanoTime() - startNanos);
    }

    /** Polls a condition the proxy reaches on its own threads, failing after a bound rather than hanging. */
    private static void eventually(BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not within 5 s; proxy threads: " + proxyThreads(""));
            }
            Thread.sleep(10);
        }
    }

    /** The threads of this proxy's connections: none should outlive them. */
    private Set<String> connectionThreads() {
        Set<String> threads = proxyThreads(proxy.port() + "-");
        threads.remove("faulty-proxy-" + proxy.port() + "-accept");
        return threads;
    }

    private static Set<String> proxyThreads(String portPrefix) {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(Thread::isAlive)
                .map(Thread::getName)
                .filter(name -> name.startsWith("faulty-proxy-" + portPrefix))
                .collect(Collectors.toSet());
    }

    private interface IoAction {
        void run() throws IOException;
    }

    private static CompletableFuture<Void> inBackground(IoAction action) {
        return CompletableFuture.runAsync(() -> {
            try {
                action.run();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }, runnable -> {
            Thread thread = new Thread(runnable, "test-writer");
            thread.setDaemon(true);
            thread.start();
        });
    }

    /** Echoes every connection back to its sender; at the sender's end of stream, half closes back. */
    private static final class EchoServer implements AutoCloseable {

        static final String HOST = "127.0.0.1";

        private final ServerSocket listener;
        private final AtomicInteger accepted = new AtomicInteger();
        private final Set<Socket> connections = ConcurrentHashMap.newKeySet();
        private final BlockingQueue<String> endings = new LinkedBlockingQueue<>();

        private EchoServer(ServerSocket listener) {
            this.listener = listener;
        }

        static EchoServer start() throws IOException {
            ServerSocket listener = new ServerSocket();
            listener.bind(new InetSocketAddress(HOST, 0));
            EchoServer server = new EchoServer(listener);
            daemon("echo-accept", server::acceptConnections);
            return server;
        }

        int port() {
            return listener.getLocalPort();
        }

        int accepted() {
            return accepted.get();
        }

        /** How the next connection to end ended: "end of stream" or "failed: …"; fails after a bound. */
        String nextEnding() throws InterruptedException {
            String ending = endings.poll(2, TimeUnit.SECONDS);
            assertThat(ending).as("a connection of the echo server ended").isNotNull();
            return ending;
        }

        private void acceptConnections() {
            while (true) {
                Socket socket;
                try {
                    socket = listener.accept();
                } catch (IOException closed) {
                    return;
                }
                accepted.incrementAndGet();
                connections.add(socket);
                daemon("echo-" + accepted.get(), () -> echo(socket));
            }
        }

        private void echo(Socket socket) {
            try (socket) {
                socket.setTcpNoDelay(true);
                InputStream in = socket.getInputStream();
                OutputStream out = socket.getOutputStream();
                byte[] buffer = new byte[8192];
                for (int read = in.read(buffer); read >= 0; read = in.read(buffer)) {
                    out.write(buffer, 0, read);
                }
                socket.shutdownOutput();
                endings.add("end of stream");
            } catch (IOException e) {
                endings.add("failed: " + e);
            } finally {
                connections.remove(socket);
            }
        }

        private static void daemon(String name, Runnable body) {
            Thread thread = new Thread(body, name);
            thread.setDaemon(true);
            thread.start();
        }

        @Override
        public void close() {
            try {
                listener.close();
            } catch (IOException ignored) {
                // the test is over
            }
            for (Socket socket : connections) {
                try {
                    socket.close();
                } catch (IOException ignored) {
                    // the test is over
                }
            }
        }
    }
}
