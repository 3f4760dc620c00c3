package tracker.locks.bench;

import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * etcd's own lock as a load target: {@code Lock(name, lease)} and {@code Unlock(key)} of etcd's v3 concurrency API
 * through its Java client, one client (one gRPC connection) shared by all threads, as ours are. etcd ties a lock to a
 * lease; each benchmark client gets one long lease at its first acquisition and keeps it, so a cycle is exactly one
 * Lock and one Unlock — the same two calls our cycle makes (our locks in the benchmark have no lease at all).
 *
 * <p>etcd's Lock waits while the name is held rather than refusing, so this target answers only the uncontended
 * scenario, where each client locks a name of its own.
 */
final class EtcdTarget implements LoadTarget {

    /** Longer than any run: the leases never end during one, and die with the peer. */
    private static final long LEASE_SECONDS = 3_600;
    /** As our clients' deadline: an answer that takes longer is an error. */
    private static final long ANSWER_SECONDS = 10;

    private final Client client;
    private final Map<String, Long> leases = new ConcurrentHashMap<>();

    EtcdTarget(String endpoint) {
        // No keep-alive pings while idle: etcd refuses pings without a call in flight (GOAWAY "too_many_pings"),
        // and between the etcd rows the connection sits idle for minutes.
        this.client = Client.builder().endpoints(endpoint).keepaliveWithoutCalls(false).build();
    }

    @Override
    public String acquire(String service, String environment, String who) throws Exception {
        ByteSequence name = bytes("bench/" + service + "/" + environment);
        return client.getLockClient().lock(name, leaseOf(who)).get(ANSWER_SECONDS, TimeUnit.SECONDS)
                .getKey().toString(StandardCharsets.UTF_8);
    }

    @Override
    public void release(String id) throws Exception {
        client.getLockClient().unlock(bytes(id)).get(ANSWER_SECONDS, TimeUnit.SECONDS);
    }

    private long leaseOf(String who) throws InterruptedException, ExecutionException, TimeoutException {
        Long lease = leases.get(who);
        if (lease == null) {
            lease = client.getLeaseClient().grant(LEASE_SECONDS).get(ANSWER_SECONDS, TimeUnit.SECONDS).getID();
            leases.put(who, lease);
        }
        return lease;
    }

    private static ByteSequence bytes(String text) {
        return ByteSequence.from(text, StandardCharsets.UTF_8);
    }

    @Override
    public void close() {
        client.close();
    }
}
