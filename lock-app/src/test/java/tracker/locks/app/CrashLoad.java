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

    private final AnsweredWrites answers;
    private final String round;
    private final List<LockClient> clients;
    private final AtomicLong lowestToken = new AtomicLong(Long.MAX_VALUE);
    private final List<String> surprises = new ArrayList<>();
    private final List<Thread> threads = new ArrayList<>();

    /** {@code round} names this load's keys, so keys left held by an earlier round never get in its way. */
    CrashLoad(AnsweredWrites answers, String round, ServerProcess server, int clients) {
        this.answers = answers;
        this.round = round;
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

    private void runClient(int client, long deadline) {
        LockClient server = clients.get(client);
        ThreadLocalRandom random = ThreadLocalRandom.current();
        boolean answering = true;
        for (int attempt = 0; answering && System.nanoTime() < deadline; attempt++) {
            boolean keep = random.nextInt(4) == 0;
            String key = keep ? round + "-own-" + client + "-" + attempt
                    : round + "-shared-" + random.nextInt(SHARED_KEYS);
            LockClient.AcquireAnswer taken = server.acquire(key, round + "-client-" + client, LEASE);
            switch (taken.outcome()) {
                case ACQUIRED -> {
                    answers.acquired(taken.id(), taken.token(), taken.expiresAt());
                    lowestToken.accumulateAndGet(taken.token(), Math::min);
                    boolean renewFirst = random.nextBoolean();
                    answering = (!renewFirst || renew(server, taken.id())) && (keep || release(server, taken.id()));
                }
                case HELD -> {
                    if (keep) {
                        surprise(key + " of its own was held by someone else");
                    }
                }
                case FAILED -> answering = false;
            }
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

    /** @return whether the server answered */
    private boolean release(LockClient server, String id) {
        answers.releaseSent(id);
        switch (server.release(id)) {
            case RELEASED -> answers.released(id);
            case NOT_FOUND -> surprise("releasing held lock " + id + " answered not found");
            case FAILED -> {
                return false;
            }
        }
        return true;
    }

    private synchronized void surprise(String what) {
        surprises.add(what);
    }
}
