package tracker.locks.app.metrics;

import tracker.locks.domain.port.in.LockGate;
import tracker.locks.domain.port.in.LockUseCases;

/** A transport's gate whose use cases are counted and timed under the transport's name ({@link MeasuredLocks}). */
public final class MeasuredGate implements LockGate {

    private final LockGate gate;
    private final String transport;
    private final TrackerMetrics metrics;

    /** @param transport the {@code transport} label: {@code rest} or {@code grpc} */
    public MeasuredGate(LockGate gate, String transport, TrackerMetrics metrics) {
        this.gate = gate;
        this.transport = transport;
        this.metrics = metrics;
    }

    @Override
    public LockUseCases enter(String bearerToken, String client) {
        return new MeasuredLocks(gate.enter(bearerToken, client), transport, metrics);
    }
}
