package tracker.locks.app.metrics;

import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.CounterWithCallback;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.core.metrics.Info;
import io.prometheus.metrics.instrumentation.jvm.JvmMetrics;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.function.LongSupplier;
import tracker.locks.domain.model.HeldLocks;
import tracker.locks.domain.port.in.LockMaintenance;

/**
 * The server's Prometheus metrics (README, Operations: the table of what each answers). Label values are a fixed,
 * small set — transports, outcomes, reasons, endpoint templates, gRPC methods, status codes — never a service name,
 * an id or a principal, so the number of series stays bounded whatever clients send. One registry per server (not
 * the library's global one), so that several servers in one test JVM do not share counters.
 */
public final class TrackerMetrics {

    private final PrometheusRegistry registry = new PrometheusRegistry();
    private final String version;

    final Counter acquisitions = Counter.builder()
            .name("tracker_lock_acquisitions_total")
            .help("Lock requests by transport and outcome: acquired, conflict (held, no wait), timeout (held after"
                    + " the wait), cancelled (the client left while waiting), rejected (bad request, no permission),"
                    + " error (the server failed)")
            .labelNames("transport", "outcome")
            .register(registry);

    final Counter releases = Counter.builder()
            .name("tracker_lock_releases_total")
            .help("Locks released, by transport and reason: released (by its holder), force_released (by an admin,"
                    + " of another's lock)")
            .labelNames("transport", "reason")
            .register(registry);

    final Counter renewals = Counter.builder()
            .name("tracker_lock_renewals_total")
            .help("Lease renewals by transport and outcome: renewed, not_found (not held: released, expired),"
                    + " rejected, error")
            .labelNames("transport", "outcome")
            .register(registry);

    final Histogram waits = Histogram.builder()
            .name("tracker_lock_wait_seconds")
            .help("Waiting requests: from the request to the grant")
            .labelNames("transport")
            .classicOnly()
            .classicUpperBounds(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300)
            .register(registry);

    final Histogram holds = Histogram.builder()
            .name("tracker_lock_hold_seconds")
            .help("Released locks: from the grant to the release")
            .labelNames("transport")
            .classicOnly()
            .classicUpperBounds(0.01, 0.1, 1, 10, 30, 60, 300, 600, 1800, 3600, 7200, 21600, 86400)
            .register(registry);

    final Histogram restRequests = Histogram.builder()
            .name("tracker_http_request_duration_seconds")
            .help("REST requests by method, endpoint (its path template) and status")
            .labelNames("method", "endpoint", "status")
            .classicOnly()
            .classicUpperBounds(0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60)
            .register(registry);

    final Histogram grpcCalls = Histogram.builder()
            .name("tracker_grpc_call_duration_seconds")
            .help("gRPC calls by method and status code")
            .labelNames("method", "code")
            .classicOnly()
            .classicUpperBounds(0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60)
            .register(registry);

    public TrackerMetrics(String version) {
        this.version = version;
        Info.builder().name("tracker_build_info").help("The server's version").labelNames("version")
                .register(registry).addLabelValues(version);
        JvmMetrics.builder().register(registry);
    }

    /** The server's version, as {@code tracker_build_info} shows it. */
    public String version() {
        return version;
    }

    public PrometheusRegistry registry() {
        return registry;
    }

    /**
     * What the lock service reports itself: the expiries it recorded, the clients waiting on this instance, and the
     * locks held in the whole deployment (read from the database at most every {@code heldCacheTime}, so that
     * frequent scrapes of many instances cost the database little).
     */
    public void observe(LockMaintenance locks, Duration heldCacheTime) {
        CounterWithCallback.builder()
                .name("tracker_lock_expirations_total")
                .help("Leases that ran out, as this instance recorded them (its reaper, or an acquisition that took"
                        + " the key over)")
                .callback(callback -> callback.call(locks.expirations()))
                .register(registry);
        GaugeWithCallback.builder()
                .name("tracker_lock_waiters")
                .help("Clients of this instance waiting for a held key now")
                .callback(callback -> callback.call(locks.waiting()))
                .register(registry);
        CachedValue<HeldLocks> held = new CachedValue<>(locks::held, heldCacheTime);
        GaugeWithCallback.builder()
                .name("tracker_locks_held")
                .help("Locks held now in the whole deployment (read from the database; every instance reports the"
                        + " same number)")
                .callback(callback -> held.value().ifPresent(now -> callback.call(now.count())))
                .register(registry);
        GaugeWithCallback.builder()
                .name("tracker_lock_oldest_held_seconds")
                .help("How long the oldest lock held now has been held (0 when none is): a lock held for hours is"
                        + " usually a holder that died without releasing")
                .callback(callback -> held.value().ifPresent(now -> callback.call(now.oldestSince() == null ? 0
                        : Math.max(0, Duration.between(now.oldestSince(), Instant.now()).toMillis() / 1000.0))))
                .register(registry);
    }

    /** The database pool: connections in use and idle, and requests waiting for one. */
    public void observePool(LongSupplier active, LongSupplier idle, LongSupplier waiting) {
        GaugeWithCallback.builder()
                .name("tracker_db_pool_connections")
                .help("Connections of the database pool, by state: active (in use), idle")
                .labelNames("state")
                .callback(callback -> {
                    callback.call(active.getAsLong(), "active");
                    callback.call(idle.getAsLong(), "idle");
                })
                .register(registry);
        GaugeWithCallback.builder()
                .name("tracker_db_pool_waiting")
                .help("Requests waiting for a connection of the database pool")
                .callback(callback -> callback.call(waiting.getAsLong()))
                .register(registry);
    }
}
