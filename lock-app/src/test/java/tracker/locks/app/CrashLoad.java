package tracker.locks.app;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import tracker.locks.testkit.GrpcLockClient;
import tracker.locks.testkit.LockClient;
import tracker.locks.testkit.RestLockClient;
import tracker.locks.testkit.ServerProcess;

/**
 * Concurrent clients of one server that acquire, renew and release until the server stops answering (it is killed),
 * writing every answer into {@link AnsweredWrites}. Half of them talk REST, half gRPC. Each client, over and over:
 * takes one of a few shared keys (contended) with a lease and releases it, sometimes renewing it first; or takes a key
 * of its own and keeps it, sometimes renewing it — so a crash finds locks just taken, just renewed, just released and
 * long held.
 */
final class CrashLoad {

    private static final int SHARED_KEYS = 3;
    private static final Duration LEASE = Duration.ofHours(1);
    private static final Duration RENEWED_LEASE = Duration.ofHours(2);

    /** How long a client that went on through failures waits before its next try. */
    private static final Duration RETRY_PAUSE = Duration.ofMillis(50);

    private final AnsweredWrites answers;
    private final String round;
    private final boolean throughFailures;
    private volatile boolean stopped;
    private final List<Acquisition> acquisitions = new java.util.concurrent.CopyOnWriteArrayList<>();
    private final List<LockClient> clients;
    private final AtomicLong lowestToken = new AtomicLong(Long.MAX_VALUE);
    private final List<String> surprises = new ArrayList<>();
    private final List<Thread> threads = new ArrayList<>();

    /** {@code round} names this load's keys, so keys left held by an earlier round never get in its way. */
    CrashLoad(AnsweredWrites answers, String round, ServerProcess server, int clients) {
        this(answers, round, server, clients, false);
    }

    /**
     * @param throughFailures whether clients go on after a request got no answer (the server is alive and answers
     *                        503 while its database fails over), instead of stopping at it (the server died); an
     *                        acquisition that got no answer is then looked for, once the server answers again, and
     *                        released, so it holds up no shared key
     */
    CrashLoad(AnsweredWrites answers, String round, ServerProcess server, int clients, boolean throughFailures) {
        this.answers = answers;
        this.round = round;
        this.throughFailures = throughFailures;
        this.clients = new ArrayList<>();
        for (int i = 0; i < clients; i++) {
            this.clients.add(i % 2 == 0 ? new RestLockClient(server.httpPort())
                    : new GrpcLockClient(server.grpcPort()));
        }
    }

    /** Starts every client; each runs until its server stops answering, or {@code bound} has passed. */
    void start(Duration bound) {
        long deadline = System.nanoTime() + bound.toNanos();
        for (int c = 0; c < clients.size(); c++) {
            int client = c;
            Thread thread = new Thread(() -> runClient(client, deadline), round + "-client-" + c);
            threads.add(thread);
            thread.start();
        }
    }

    /** Asks every client to stop after the cycle it is in (acquire, maybe renew, release). */
    void stop() {
        stopped = true;
    }

    /** Waits for every client to have stopped, and closes their connections; once. */
    void awaitStopped() throws InterruptedException {
        for (Thread thread : threads) {
            thread.join(Duration.ofSeconds(60).toMillis());
            if (thread.isAlive()) {
                throw new IllegalStateException(thread.getName() + " did not stop");
            }
        }
        clients.forEach(LockClient::close);
    }

    /** The lowest fencing token this load was answered; {@code Long.MAX_VALUE} when it acquired nothing. */
    long lowestToken() {
        return lowestToken.get();
    }

    /** Answers no correct server gives (a held lock of ours not found, an own key taken): should stay empty. */
    synchronized List<String> surprises() {
        return List.copyOf(surprises);
    }

    /** Every answered acquisition: when it was sent and answered ({@link System#nanoTime()}), and its token. */
    record Acquisition(String id, long sentNanos, long answeredNanos, long token) {
    }

    List<Acquisition> acquisitions() {
        return List.copyOf(acquisitions);
    }

    /**
     * The acquisitions whose token is not above every token answered before they were sent: fencing tokens that
     * went back (or repeated), which would let a stale holder's writes through. Empty when tokens only increase.
     */
    List<String> tokensGoingBack() {
        List<Acquisition> byAnswer = new ArrayList<>(acquisitions);
        byAnswer.sort(java.util.Comparator.comparingLong(Acquisition::answeredNanos));
        List<Acquisition> bySending = new ArrayList<>(acquisitions);
        bySending.sort(java.util.Comparator.comparingLong(Acquisition::sentNanos));
        List<String> back = new ArrayList<>();
        long highestAnswered = Long.MIN_VALUE;
        int answered = 0;
        for (Acquisition later : bySending) {
            while (answered < byAnswer.size() && byAnswer.get(answered).answeredNanos() < later.sentNanos()) {
                highestAnswered = Math.max(highestAnswered, byAnswer.get(answered++).token());
            }
            if (later.token() <= highestAnswered) {
                back.add("token " + later.token() + " after " + highestAnswered + " was answered");
            }
        }
        return back;
    }

    /** What the clients' requests that got no usable answer were, by kind (see {@link LockClient#failures()}). */
    java.util.Map<String, Long> failures() {
        java.util.Map<String, Long> all = new java.util.TreeMap<>();
        clients.forEach(client -> client.failures().forEach((kind, count) -> all.merge(kind, count, Long::sum)));
        return all;
    }

    private void runClient(int client, long deadline) {
        LockClient server = clients.get(client);
        ThreadLocalRandom random = ThreadLocalRandom.current();
        boolean answering = true;
        for (int attempt = 0; (answering || throughFailures) && !stopped && System.nanoTime() < deadline;
             attempt++) {
            if (!answering) {
                pause(RETRY_PAUSE);
            }
            boolean keep = random.nextInt(4) == 0;
            String key = keep ? round + "-own-" + client + "-" + attempt
                    : round + "-shared-" + random.nextInt(SHARED_KEYS);
            String who = round + "-client-" + client + "-" + attempt;
            long sent = System.nanoTime();
            LockClient.AcquireAnswer taken = server.acquire(key, who, LEASE);
            switch (taken.outcome()) {
                case ACQUIRED -> {
                    acquisitions.add(new Acquisition(taken.id(), sent, System.nanoTime(), taken.token()));
                    answers.acquired(taken.id(), taken.token(), taken.expiresAt());
                    lowestToken.accumulateAndGet(taken.token(), Math::min);
                    boolean renewed = !random.nextBoolean() || renew(server, taken.id());
                    boolean released = keep || (renewed || throughFailures) && release(server, taken.id(), deadline);
                    answering = renewed && released;
                }
                case HELD -> {
                    answering = true;
                    if (keep) {
                        surprise(key + " of its own was held by someone else");
                    }
                }
                case FAILED -> {
                    answering = false;
                    if (throughFailures) {
                        releaseIfTaken(server, who, deadline);
                    }
                }
            }
        }
    }

    /**
     * Once the server answers the list again, releases the lock {@code who} may have been granted by a request that
     * got no answer; gives up at {@code deadline}.
     */
    private void releaseIfTaken(LockClient server, String who, long deadline) {
        while (System.nanoTime() < deadline) {
            long failuresBefore = failureCount(server);
            java.util.Optional<String> orphan = server.findHeldBy(who);
            if (failureCount(server) == failuresBefore) {
                orphan.ifPresent(server::release);
                return;
            }
            pause(RETRY_PAUSE);
        }
    }

    private static long failureCount(LockClient server) {
        return server.failures().values().stream().mapToLong(Long::longValue).sum();
    }

    private static void pause(Duration duration) {
        try {
            Thread.sleep(duration.toMillis()); // a client's pause between tries, as a real retrying client makes
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** @return whether the server answered */
    private boolean renew(LockClient server, String id) {
        answers.renewalSent(id);
        LockClient.RenewAnswer renewed = server.renew(id, RENEWED_LEASE);
        switch (renewed.found()) {
            case HELD -> answers.renewed(id, renewed.expiresAt());
            case NOT_FOUND -> surprise("renewing held lock " + id + " answered not found");
            case FAILED -> {
                return false;
            }
        }
        return true;
    }

    /**
     * @return whether the server answered; going on through failures, the release is sent again until it is
     *         answered (or {@code deadline}), and "not found" after a try that got no answer means that try released
     */
    private boolean release(LockClient server, String id, long deadline) {
        answers.releaseSent(id);
        for (boolean retry = false; ; retry = true) {
            switch (server.release(id)) {
                case RELEASED -> {
                    answers.released(id);
                    return true;
                }
                case NOT_FOUND -> {
                    if (retry) {
                        answers.released(id);
                    } else {
                        surprise("releasing held lock " + id + " answered not found");
                    }
                    return true;
                }
                case FAILED -> {
                    if (!throughFailures || System.nanoTime() > deadline) {
                        return false;
                    }
                    pause(RETRY_PAUSE);
                }
            }
        }
    }

    private synchronized void surprise(String what) {
        surprises.add(what);
    }
}
