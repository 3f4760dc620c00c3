package tracker.locks.bench;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import tracker.locks.bench.BenchOptions.Transport;
import tracker.locks.testkit.LockClient;

/**
 * One closed-loop client of the fault soak: takes a random one of the contended keys, and when granted, touches its
 * guarded counter and releases it; when told the key is held, tries again a moment later.
 *
 * <p>A request without an answer (no connection, a timeout, 503, UNAVAILABLE) sends the client to the next instance
 * for a while. After an acquisition without an answer the client cannot know whether it holds the key, so once an
 * instance answers it looks the lock up by the attempt's own {@code who} and releases it: an unknown outcome never
 * leaves a key held. A release without an answer is sent again, through another instance, until one answers.
 */
final class SoakClient implements Runnable {

    /** Between retries after a failure, so that instances all down do not turn the clients into a busy loop. */
    private static final Duration RETRY_PAUSE = Duration.ofMillis(200);
    /** How long a client stays away from its home instance after a failure there before it tries it again. */
    private static final Duration AWAY = Duration.ofSeconds(5);

    private final int index;
    private final Transport transport;
    private final int home;
    private final SoakLoad load;
    /** Per slot, this client's connection to the slot's current instance; made when first needed. */
    private final TalliedClient[] clients;
    private int slot;
    private long awayUntil;
    private long attempts;

    SoakClient(int index, Transport transport, int home, SoakLoad load) {
        this.index = index;
        this.transport = transport;
        this.home = home;
        this.slot = home;
        this.load = load;
        this.clients = new TalliedClient[load.instances().size()];
    }

    @Override
    public void run() {
        try {
            while (!load.stopping()) {
                cycle();
            }
        } finally {
            for (TalliedClient client : clients) {
                if (client != null) {
                    client.close();
                }
            }
        }
    }

    private void cycle() {
        if (slot != home && System.nanoTime() - awayUntil >= 0) {
            slot = home;
        }
        int key = ThreadLocalRandom.current().nextInt(SoakLoad.KEYS);
        // Unique per attempt, so the clean-up of an unknown outcome finds this attempt's lock and no other.
        String who = "soak-c" + index + "-" + ++attempts;
        TalliedClient client = client();
        long sent = System.nanoTime();
        LockClient.AcquireAnswer answer = client.locks().acquire(SoakLoad.service(key), who);
        switch (answer.outcome()) {
            case ACQUIRED -> hold(key, answer.id(), who, client.via(), sent);
            case HELD -> {
                load.held();
                SoakClock.pause(Duration.ofMillis(ThreadLocalRandom.current().nextInt(1, 6)));
            }
            case FAILED -> {
                load.unknownOutcome();
                failedOn(client);
                cleanUp(who);
            }
        }
    }

    private void hold(int key, String id, String who, String via, long sent) {
        HoldingChecker.Holding holding = load.checker().acquired(key, id, who, via, sent);
        load.counters().touch(key);
        load.checker().releasing(holding);
        release(id);
    }

    /** Releases {@code id}, through the next instance while one fails, until one answers. */
    private void release(String id) {
        while (load.persisting()) {
            TalliedClient client = client();
            if (client.locks().release(id) != LockClient.ReleaseAnswer.FAILED) {
                return; // released, or not found: not held any more either way
            }
            load.releaseRetried();
            failedOn(client);
            SoakClock.pause(RETRY_PAUSE);
        }
        load.abandoned();
    }

    /** After an acquisition without an answer: finds the lock this attempt may have taken, and releases it. */
    private void cleanUp(String who) {
        while (load.persisting()) {
            SoakClock.pause(RETRY_PAUSE);
            TalliedClient client = client();
            Optional<String> orphan = client.locks().findHeldBy(who);
            if (client.failedSinceLastLook()) {
                failedOn(client); // no answer: nothing learnt, ask the next instance
                continue;
            }
            if (orphan.isPresent()) {
                load.orphanReleased();
                release(orphan.get());
            }
            return;
        }
        load.abandoned();
    }

    /** Counts the client's failures and moves on to the next instance for {@link #AWAY}. */
    private void failedOn(TalliedClient client) {
        client.failedSinceLastLook();
        slot = (slot + 1) % clients.length;
        awayUntil = System.nanoTime() + AWAY.toNanos();
    }

    /** The connection to the current slot's instance; a new one when the slot's instance was replaced. */
    private TalliedClient client() {
        SoakInstances.Instance instance = load.instances().current(slot);
        TalliedClient client = clients[slot];
        if (client == null || client.instance() != instance) {
            if (client != null) {
                client.close();
            }
            client = new TalliedClient(instance, transport, load.failures());
            clients[slot] = client;
        }
        return client;
    }
}
