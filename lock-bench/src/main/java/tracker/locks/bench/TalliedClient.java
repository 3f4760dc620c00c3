package tracker.locks.bench;

import java.util.Map;
import tracker.locks.bench.BenchOptions.Transport;
import tracker.locks.testkit.GrpcLockClient;
import tracker.locks.testkit.LockClient;
import tracker.locks.testkit.RestLockClient;

/**
 * One soak client's connection to one instance: the testkit's client, whose failures are answers that it counts by
 * kind. Its counts are folded into the load's tally as they grow, which also tells a look-up that failed from one
 * that found nothing (both answer empty).
 */
final class TalliedClient implements AutoCloseable {

    private final SoakInstances.Instance instance;
    private final Transport transport;
    private final LockClient locks;
    private final FailureTally tally;
    private Map<String, Long> seen = Map.of();

    TalliedClient(SoakInstances.Instance instance, Transport transport, FailureTally tally) {
        this.instance = instance;
        this.transport = transport;
        this.locks = connect(instance, transport);
        this.tally = tally;
    }

    /** The testkit's client of {@code instance} over {@code transport}. */
    static LockClient connect(SoakInstances.Instance instance, Transport transport) {
        return transport == Transport.REST ? new RestLockClient(instance.server().httpPort())
                : new GrpcLockClient(instance.server().grpcPort());
    }

    SoakInstances.Instance instance() {
        return instance;
    }

    LockClient locks() {
        return locks;
    }

    /** {@code i2#1 rest}. */
    String via() {
        return instance.label() + " " + BenchOptions.lower(transport);
    }

    /** Folds this client's failures since the last look into the tally; whether there were any. */
    boolean failedSinceLastLook() {
        Map<String, Long> now = locks.failures();
        boolean failed = false;
        for (Map.Entry<String, Long> kind : now.entrySet()) {
            long more = kind.getValue() - seen.getOrDefault(kind.getKey(), 0L);
            if (more > 0) {
                tally.add(kind.getKey(), more);
                failed = true;
            }
        }
        seen = now;
        return failed;
    }

    @Override
    public void close() {
        failedSinceLastLook();
        locks.close();
    }
}
