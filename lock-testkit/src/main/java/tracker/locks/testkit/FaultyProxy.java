package tracker.locks.testkit;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A TCP proxy on the loopback address whose network a test spoils while traffic flows. Put between the lock server
 * and PostgreSQL, it shows what the server does when its database answers late ({@link #delay}), stops answering
 * without closing anything ({@link #blackHole}), or goes away in the middle of a statement ({@link #cut}).
 *
 * <p>It models faults of the network, not of a peer, because those are the ones a peer cannot tell from a slow or
 * busy partner: a delay is an added one-way latency (every chunk arrives the same time after it left, in order, so
 * a stream is late but not slower); a black hole loses nothing and closes nothing (bytes are held back, as TCP
 * would retransmit them, and arrive once the hole heals), so only the client's own timeouts notice it; a cut is a
 * reset on both sides, as a restarted host or a middlebox that lost its state would send.
 *
 * <p>Each connection has two directions, and each direction a reader thread, which reads as soon as the sender
 * writes and stamps every chunk with the time it was read, and a writer thread, which delivers the chunks in order
 * once the network lets them through. Held-back bytes are kept in memory without bound: tests send little. Nothing
 * is logged: in a fault test, sockets failing is the point.
 */
public final class FaultyProxy implements AutoCloseable {

    private static final String HOST = "127.0.0.1";
    private static final int CHUNK_BYTES = 16 * 1024;
    /** Longer than any test waits for a connection, so a target that does not answer is reported as a reset. */
    private static final int CONNECT_TIMEOUT_MILLIS = 10_000;
    /** How long cut() and close() wait for the threads of what they closed; they end at once unless starved. */
    private static final Duration THREADS_END_TIMEOUT = Duration.ofSeconds(5);

    private final ServerSocket listener;
    private final Thread acceptor;
    private final int port;
    private final String targetHost;
    private final int targetPort;
    private final AtomicLong bytesForwarded = new AtomicLong();
    private final AtomicInteger nextConnection = new AtomicInteger();

    /**
     * One lock for the network's state and every connection's, so a mode switched by the test is seen by every
     * writer at once and no connection can slip past close(); traffic in a test is too small to contend on it.
     */
    private final ReentrantLock lock = new ReentrantLock();
    /** What connections accepted during a black hole wait on before they are connected onward. */
    private final Condition holeHealedOrLinkOver = lock.newCondition();
    private final Set<Link> links = new HashSet<>();
    private long latencyNanos;
    private boolean holeOpen;
    private boolean closed;

    private FaultyProxy(ServerSocket listener, String targetHost, int targetPort) {
        this.listener = listener;
        this.port = listener.getLocalPort();
        this.targetHost = targetHost;
        this.targetPort = targetPort;
        this.acceptor = newThread(threadName("accept"), this::acceptConnections);
    }

    /** Listens on a free loopback port and forwards every connection to {@code targetHost:targetPort}. */
    public static FaultyProxy start(String targetHost, int targetPort) throws IOException {
        Objects.requireNonNull(targetHost, "targetHost");
        if (targetPort < 1 || targetPort > 65_535) {
            throw new IllegalArgumentException("not a port: " + targetPort);
        }
        ServerSocket listener = new ServerSocket();
        try {
            listener.bind(new InetSocketAddress(HOST, 0));
        } catch (IOException e) {
            listener.close();
            throw e;
        }
        FaultyProxy proxy = new FaultyProxy(listener, targetHost, targetPort);
        proxy.acceptor.start();
        return proxy;
    }

    /** The port the proxy listens on. */
    public int port() {
        return port;
    }

    /** The address the proxy listens on: always the loopback address. */
    public String host() {
        return HOST;
    }

    /**
     * From now on every chunk, in either direction, is delivered {@code latency} after it was read; chunks already
     * held are due by the new latency too. {@code Duration.ZERO} removes the delay.
     */
    public void delay(Duration latency) {
        Objects.requireNonNull(latency, "latency");
        if (latency.isNegative()) {
            throw new IllegalArgumentException("a latency cannot be negative: " + latency);
        }
        lock.lock();
        try {
            latencyNanos = latency.toNanos();
            networkChanged();
        } finally {
            lock.unlock();
        }
    }

    /**
     * From now on nothing is delivered in either direction and nothing is closed: bytes read are held back, and
     * connections accepted meanwhile are not connected onward, until {@link #heal()}.
     */
    public void blackHole() {
        lock.lock();
        try {
            holeOpen = true;
            networkChanged();
        } finally {
            lock.unlock();
        }
    }

    /**
     * Ends the black hole and any delay: held-back bytes are delivered in order, connections accepted during the
     * hole are connected onward, and forwarding goes on as normal.
     */
    public void heal() {
        lock.lock();
        try {
            holeOpen = false;
            latencyNanos = 0;
            networkChanged();
        } finally {
            lock.unlock();
        }
    }

    /**
     * Resets every open connection on both sides at once (bytes still held back are lost, as with a real reset);
     * connections made afterwards are forwarded as before. Returns once the resets are sent.
     *
     * @return how many connections were cut
     */
    public int cut() {
        List<Link> cut = new ArrayList<>();
        for (Link link : openLinks()) {
            if (link.reset()) {
                cut.add(link);
            }
        }
        awaitThreadsEnd(cut);
        return cut.size();
    }

    /**
     * Connections accepted and not yet over: neither cut, nor failed, nor ended by both sides. A connection held at
     * a black hole counts, as its client sees it open.
     */
    public int openConnections() {
        lock.lock();
        try {
            return links.size();
        } finally {
            lock.unlock();
        }
    }

    /** Bytes delivered so far, in both directions together, counted as they are handed to the receiver's socket. */
    public long bytesForwarded() {
        return bytesForwarded.get();
    }

    /**
     * Stops listening and resets every connection; when it returns, connecting is refused. Closing again does
     * nothing.
     */
    @Override
    public void close() {
        List<Link> open;
        lock.lock();
        try {
            if (closed) {
                return;
            }
            closed = true;
            open = new ArrayList<>(links);
        } finally {
            lock.unlock();
        }
        closeQuietly(listener);
        open.forEach(Link::reset);
        long deadline = System.nanoTime() + THREADS_END_TIMEOUT.toNanos();
        joinQuietly(acceptor, deadline);
        awaitThreadsEnd(open);
    }

    /**
     * A socket closed while a thread blocks in it is only really closed (no longer listening, its reset sent) when
     * that thread returns, so cut() and close() wait for them: afterwards a test can count on the effect.
     */
    private static void awaitThreadsEnd(List<Link> links) {
        long deadline = System.nanoTime() + THREADS_END_TIMEOUT.toNanos();
        links.forEach(link -> link.awaitThreadsEnd(deadline));
    }

    private static void joinQuietly(Thread thread, long deadlineNanos) {
        long millis = TimeUnit.NANOSECONDS.toMillis(deadlineNanos - System.nanoTime());
        if (thread == Thread.currentThread() || millis <= 0) {
            return;
        }
        try {
            thread.join(millis);
        } catch (InterruptedException e) {
            // Waiting was only a courtesy; the caller's interrupt matters more.
            Thread.currentThread().interrupt();
        }
    }

    private void acceptConnections() {
        while (true) {
            Socket client;
            try {
                client = listener.accept();
            } catch (IOException e) {
                // close() closed the listener, or it is broken: either way there is nothing more to accept.
                return;
            }
            Link link = new Link(threadName(Integer.toString(nextConnection.incrementAndGet())), client);
            if (register(link)) {
                link.connector.start();
            } else {
                resetQuietly(client);
            }
        }
    }

    /** False once closed, so a connection accepted while close() ran cannot outlive it. */
    private boolean register(Link link) {
        lock.lock();
        try {
            if (closed) {
                return false;
            }
            links.add(link);
            return true;
        } finally {
            lock.unlock();
        }
    }

    private List<Link> openLinks() {
        lock.lock();
        try {
            return new ArrayList<>(links);
        } finally {
            lock.unlock();
        }
    }

    /** Called with the lock held: every waiting writer and connection re-reads the network's state. */
    private void networkChanged() {
        links.forEach(Link::networkChanged);
        holeHealedOrLinkOver.signalAll();
    }

    private String threadName(String part) {
        return "faulty-proxy-" + port + "-" + part;
    }

    private static Thread newThread(String name, Runnable body) {
        Thread thread = new Thread(body, name);
        // A test that forgets close() must not keep its JVM alive.
        thread.setDaemon(true);
        return thread;
    }

    private static void resetQuietly(Socket socket) {
        if (socket == null) {
            return;
        }
        try {
            // A zero linger makes close() send RST instead of FIN.
            socket.setSoLinger(true, 0);
        } catch (IOException alreadyClosed) {
            // closing is all that is left to do
        }
        closeQuietly(socket);
    }

    private static void closeQuietly(AutoCloseable closeable) {
        if (closeable == null) {
            return;
        }
        try {
            closeable.close();
        } catch (Exception ignored) {
            // the socket is gone either way
        }
    }

    /** A chunk read at {@code readAtNanos}; no bytes stands for the sender's end of stream, due like any chunk. */
    private record Chunk(long readAtNanos, byte[] bytes) {

        static Chunk endOfStream(long readAtNanos) {
            return new Chunk(readAtNanos, null);
        }

        boolean isEndOfStream() {
            return bytes == null;
        }
    }

    /** One accepted connection: the client's socket and, once connected onward, the target's. */
    private final class Link {

        private final String name;
        private final Socket client;
        /** Waits out a black hole, connects onward, then starts the directions' threads. */
        private final Thread connector;
        // The rest is guarded by the proxy's lock.
        private Socket target;
        private Direction up;
        private Direction down;
        private int directionsEnded;
        private boolean over;

        Link(String name, Socket client) {
            this.name = name;
            this.client = client;
            this.connector = newThread(name + "-connect", this::connect);
        }

        /** Connects onward once no black hole is in the way, then forwards both ways. */
        void connect() {
            if (!awaitNoHole()) {
                return;
            }
            Socket socket = new Socket();
            try {
                client.setTcpNoDelay(true);
                // Without it, small writes could wait for an ACK and add latency nobody asked for.
                socket.setTcpNoDelay(true);
                socket.connect(new InetSocketAddress(targetHost, targetPort), CONNECT_TIMEOUT_MILLIS);
            } catch (IOException unreachable) {
                resetQuietly(socket);
                // A client of a real unreachable target would be refused; a reset is the nearest a proxy can do.
                reset();
                return;
            }
            Direction toTarget = new Direction(this, name + "-up", client, socket);
            Direction toClient = new Direction(this, name + "-down", socket, client);
            boolean attached;
            lock.lock();
            try {
                attached = !over;
                if (attached) {
                    target = socket;
                    up = toTarget;
                    down = toClient;
                }
            } finally {
                lock.unlock();
            }
            if (!attached) {
                // cut() or close() came while connecting: this socket was not there for them to reset.
                resetQuietly(socket);
                return;
            }
            toTarget.start();
            toClient.start();
        }

        private boolean awaitNoHole() {
            lock.lock();
            try {
                while (holeOpen && !over) {
                    holeHealedOrLinkOver.awaitUninterruptibly();
                }
                return !over;
            } finally {
                lock.unlock();
            }
        }

        void awaitThreadsEnd(long deadlineNanos) {
            // The connector starts the directions, so once it is gone they are known, if there are any.
            joinQuietly(connector, deadlineNanos);
            List<Direction> directions;
            lock.lock();
            try {
                directions = up == null ? List.of() : List.of(up, down);
            } finally {
                lock.unlock();
            }
            directions.forEach(direction -> direction.awaitThreadsEnd(deadlineNanos));
        }

        /** Called with the lock held. */
        void networkChanged() {
            if (up != null) {
                up.wakeWriter();
                down.wakeWriter();
            }
        }

        /** Resets both sockets, unless the link is over already; true if this call ended it. */
        boolean reset() {
            Socket targetSocket;
            lock.lock();
            try {
                if (!end()) {
                    return false;
                }
                targetSocket = target;
            } finally {
                lock.unlock();
            }
            resetQuietly(client);
            resetQuietly(targetSocket);
            return true;
        }

        /** A direction delivered its end of stream; when both have, both sides are done and the sockets can go. */
        void directionEnded() {
            Socket targetSocket;
            lock.lock();
            try {
                if (++directionsEnded < 2 || !end()) {
                    return;
                }
                targetSocket = target;
            } finally {
                lock.unlock();
            }
            closeQuietly(client);
            closeQuietly(targetSocket);
        }

        /** Called with the lock held; false if the link was over already. */
        private boolean end() {
            if (over) {
                return false;
            }
            over = true;
            links.remove(this);
            if (up != null) {
                up.stop();
                down.stop();
            }
            holeHealedOrLinkOver.signalAll();
            return true;
        }
    }

    /** One direction of a link: what its source sends, held until the network delivers it to its destination. */
    private final class Direction {

        private final Link link;
        private final String name;
        private final Socket source;
        private final Socket destination;
        private final Thread reader;
        private final Thread writer;
        private final Condition chunkDueOrStopped = lock.newCondition();
        // Guarded by the proxy's lock.
        private final Deque<Chunk> held = new ArrayDeque<>();
        private boolean stopped;

        Direction(Link link, String name, Socket source, Socket destination) {
            this.link = link;
            this.name = name;
            this.source = source;
            this.destination = destination;
            this.reader = newThread(name + "-read", this::read);
            this.writer = newThread(name + "-write", this::write);
        }

        void start() {
            reader.start();
            writer.start();
        }

        void awaitThreadsEnd(long deadlineNanos) {
            joinQuietly(reader, deadlineNanos);
            joinQuietly(writer, deadlineNanos);
        }

        /** Reads as fast as the source sends, so every chunk's time is the time it left, whatever the network. */
        private void read() {
            byte[] buffer = new byte[CHUNK_BYTES];
            try {
                InputStream in = source.getInputStream();
                while (true) {
                    int read = in.read(buffer);
                    long readAt = System.nanoTime();
                    if (read < 0) {
                        hold(Chunk.endOfStream(readAt));
                        return;
                    }
                    hold(new Chunk(readAt, Arrays.copyOf(buffer, read)));
                }
            } catch (IOException e) {
                // Our own reset (cut, close) or the peer's: a reset ends the whole connection, as in TCP.
                link.reset();
            }
        }

        private void hold(Chunk chunk) {
            lock.lock();
            try {
                if (!stopped) {
                    held.addLast(chunk);
                    chunkDueOrStopped.signal();
                }
            } finally {
                lock.unlock();
            }
        }

        private void write() {
            try {
                OutputStream out = destination.getOutputStream();
                while (true) {
                    Chunk chunk = nextDue();
                    if (chunk == null) {
                        return;
                    }
                    if (chunk.isEndOfStream()) {
                        // A half close, so the destination can still answer what it was sent.
                        destination.shutdownOutput();
                        link.directionEnded();
                        return;
                    }
                    // Counted first, so a peer that has the bytes can count on bytesForwarded() including them.
                    bytesForwarded.addAndGet(chunk.bytes().length);
                    out.write(chunk.bytes());
                }
            } catch (IOException e) {
                link.reset();
            }
        }

        /**
         * Waits until the oldest chunk is due (no black hole, and its latency has passed since it was read); null
         * once stopped. The due time is worked out from the latency in force now, so delay() and heal() act on
         * chunks already held, and it is the read time plus one latency, so latencies never add up.
         */
        private Chunk nextDue() {
            lock.lock();
            try {
                while (!stopped) {
                    Chunk oldest = held.peekFirst();
                    if (oldest == null || holeOpen) {
                        chunkDueOrStopped.await();
                        continue;
                    }
                    long wait = oldest.readAtNanos() + latencyNanos - System.nanoTime();
                    if (wait <= 0) {
                        return held.pollFirst();
                    }
                    chunkDueOrStopped.awaitNanos(wait);
                }
                return null;
            } catch (InterruptedException e) {
                // Nobody interrupts these threads; if someone does, stop delivering rather than deliver early.
                Thread.currentThread().interrupt();
                return null;
            } finally {
                lock.unlock();
            }
        }

        /** Called with the lock held. */
        void wakeWriter() {
            chunkDueOrStopped.signal();
        }

        /** Called with the lock held: the writer returns, and bytes still held are dropped, as a reset drops them. */
        void stop() {
            stopped = true;
            held.clear();
            chunkDueOrStopped.signal();
        }
    }
}
