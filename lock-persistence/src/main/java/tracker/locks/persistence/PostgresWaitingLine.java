package tracker.locks.persistence;

import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Collection;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.JdbiException;
import tracker.locks.domain.model.HolderRule;
import tracker.locks.domain.model.LockKey;
import tracker.locks.domain.model.LockMode;
import tracker.locks.domain.model.LockStoreUnavailableException;
import tracker.locks.domain.model.QueueFilter;
import tracker.locks.domain.model.WaitingClient;
import tracker.locks.domain.port.out.WaitingLine;

/**
 * The lines of waiting clients on PostgreSQL, shared by every instance: each waiting client is a row of
 * {@code lock_waiters} in arrival order ({@code seq}), so a client that came first is served first whichever
 * instance it called. A row has a lease ({@link #ENTRY_LEASE}) this instance renews every {@link #RENEW_EVERY} while
 * its client waits; the row of a client whose instance died or froze lapses and stops holding up the line within the
 * lease.
 *
 * <p>Wake-ups stay as prompt as on one instance: a release anywhere is announced to every instance
 * ({@link PostgresReleaseListener}), and so is the first in line leaving, and each instance wakes its own first
 * waiter of that key, which asks the database whether anyone still waits ahead of it. Only the local first of a key
 * asks — the others are behind it anyway — and its answer "not yet" holds until the next wake-up or
 * {@link #RECHECK_AFTER}, so a line costs the database a query per change, not per waiter per tick.
 */
public final class PostgresWaitingLine implements WaitingLine, AutoCloseable {

    /** How long an entry holds its place without its instance renewing it. */
    static final Duration ENTRY_LEASE = Duration.ofSeconds(3);
    /** How often this instance renews its entries' leases (and removes lapsed entries of any instance). */
    static final Duration RENEW_EVERY = Duration.ofSeconds(1);
    /** How long "someone waits ahead" is believed without news; covers entries ahead that lapse silently. */
    static final Duration RECHECK_AFTER = Duration.ofSeconds(1);

    private static final System.Logger LOG = System.getLogger(PostgresWaitingLine.class.getName());

    private static final String LIVE = "lease_until > CURRENT_TIMESTAMP";
    private static final String OF_KEY = "service = :service AND environment = :environment AND resource = :resource";
    private static final String LEASE = "CURRENT_TIMESTAMP + CAST(:leaseMicros AS BIGINT) * INTERVAL '1 microsecond'";
    private static final String NOTIFY_KEY = "pg_notify('" + PostgresStatements.RELEASED_CHANNEL
            + "', service || chr(31) || environment || chr(31) || resource)";

    private static final String JOIN = """
            INSERT INTO lock_waiters (id, seq, service, environment, resource, who, owner, holder_limit, holder_mode,
                                      since, instance, lease_until)
            VALUES (:id, nextval('lock_waiter_seq'), :service, :environment, :resource, :who, :owner, :limit, :mode,
                    :since, :instance, %s)
            RETURNING seq""".formatted(LEASE);
    private static final String AHEAD = """
            SELECT EXISTS (SELECT 1 FROM lock_waiters WHERE %s AND seq < :seq AND %s)""".formatted(OF_KEY, LIVE);
    private static final String ANYONE = """
            SELECT EXISTS (SELECT 1 FROM lock_waiters WHERE %s AND %s)""".formatted(OF_KEY, LIVE);
    private static final String EXCLUSIVE = """
            SELECT EXISTS (SELECT 1 FROM lock_waiters WHERE %s AND holder_mode = 'exclusive' AND %s)"""
            .formatted(OF_KEY, LIVE);
    /** Leaves, and tells every instance that the line of the key moved. */
    private static final String LEAVE = """
            WITH gone AS (DELETE FROM lock_waiters WHERE id = :id RETURNING service, environment, resource)
            SELECT %s FROM gone""".formatted(NOTIFY_KEY);
    private static final String RENEW = """
            UPDATE lock_waiters SET lease_until = %s WHERE instance = :instance AND %s RETURNING id"""
            .formatted(LEASE, LIVE);
    /** Removes lapsed entries of any instance, telling the instances waiting behind them. */
    private static final String REMOVE_LAPSED = """
            WITH gone AS (DELETE FROM lock_waiters WHERE lease_until <= CURRENT_TIMESTAMP
                          RETURNING service, environment, resource)
            SELECT DISTINCT service, environment, resource FROM gone""";
    private static final String NOTIFY = "SELECT pg_notify('" + PostgresStatements.RELEASED_CHANNEL
            + "', :service || chr(31) || :environment || chr(31) || :resource)";
    private static final String COUNTS = """
            SELECT service, environment, resource, COUNT(*) AS waiting FROM lock_waiters
            WHERE (service, environment, resource) IN (SELECT * FROM unnest(CAST(:services AS varchar[]),
                     CAST(:environments AS varchar[]), CAST(:resources AS varchar[])))
              AND %s
            GROUP BY service, environment, resource""".formatted(LIVE);
    private static final String QUEUE = """
            SELECT service, environment, resource, who, owner, holder_limit, holder_mode, since FROM lock_waiters
            WHERE service = :service AND (CAST(:environment AS VARCHAR) IS NULL OR environment = :environment)
              AND (CAST(:resource AS VARCHAR) IS NULL OR resource = :resource) AND %s
            ORDER BY service, environment, resource, seq""".formatted(LIVE);

    private final Jdbi jdbi;
    private final UUID instance = UUID.randomUUID();
    /** This instance's waiters per key, in their (and so the shared line's) order. */
    private final Map<LockKey, Deque<Entry>> local = new HashMap<>();
    private final ScheduledExecutorService renewer = Executors.newSingleThreadScheduledExecutor(runnable -> {
        Thread thread = new Thread(runnable, "lock-line-renewer");
        thread.setDaemon(true);
        return thread;
    });

    public PostgresWaitingLine(Jdbi jdbi) {
        this.jdbi = jdbi;
    }

    /** Starts renewing this instance's entries. */
    public void start() {
        long millis = RENEW_EVERY.toMillis();
        renewer.scheduleWithFixedDelay(this::renewQuietly, millis, millis, TimeUnit.MILLISECONDS);
    }

    @Override
    public boolean anyoneWaitingFor(LockKey key) {
        return translated(() -> jdbi.withHandle(h -> KeyAdmission.bindKey(h.createQuery(ANYONE), key)
                .mapTo(Boolean.class).one()));
    }

    @Override
    public boolean exclusiveWaitingFor(LockKey key) {
        return translated(() -> jdbi.withHandle(h -> KeyAdmission.bindKey(h.createQuery(EXCLUSIVE), key)
                .mapTo(Boolean.class).one()));
    }

    @Override
    public Place join(WaitingClient client, Runnable wake) {
        Entry entry = new Entry(client, UUID.randomUUID(), wake);
        entry.seq = insert(entry);
        synchronized (this) {
            local.computeIfAbsent(client.key(), k -> new ArrayDeque<>()).addLast(entry);
        }
        return entry;
    }

    private long insert(Entry entry) {
        WaitingClient client = entry.client;
        return translated(() -> jdbi.withHandle(h -> KeyAdmission.bindKey(h.createQuery(JOIN), client.key())
                .bind("id", entry.id)
                .bind("who", client.who())
                .bind("owner", client.owner())
                .bind("limit", client.rule().limit())
                .bind("mode", client.rule().mode().wireName())
                .bind("since", java.time.OffsetDateTime.ofInstant(client.since(), java.time.ZoneOffset.UTC))
                .bind("instance", instance)
                .bind("leaseMicros", LockDurations.micros(ENTRY_LEASE))
                .mapTo(Long.class).one()));
    }

    @Override
    public boolean isFirst(Place place) {
        Entry entry = (Entry) place;
        synchronized (this) {
            if (!firstHere(entry)) {
                return false; // a waiter of this instance came before it
            }
            if (entry.first) {
                return true; // nobody can come before it any more: later arrivals line up behind
            }
            if (entry.checkedAt != 0 && System.nanoTime() - entry.checkedAt < RECHECK_AFTER.toNanos()) {
                return false;
            }
        }
        boolean ahead = translated(() -> jdbi.withHandle(h -> KeyAdmission.bindKey(h.createQuery(AHEAD),
                entry.client.key()).bind("seq", entry.seq).mapTo(Boolean.class).one()));
        synchronized (this) {
            entry.first = !ahead;
            entry.checkedAt = System.nanoTime();
        }
        return !ahead;
    }

    @Override
    public synchronized boolean firstHere(Place place) {
        Entry entry = (Entry) place;
        Deque<Entry> line = local.get(entry.client.key());
        return line != null && line.peekFirst() == entry;
    }

    @Override
    public void leave(Place place) {
        Entry entry = (Entry) place;
        Entry next;
        boolean wasFirst;
        synchronized (this) {
            LockKey key = entry.client.key();
            Deque<Entry> line = local.get(key);
            if (line == null || !line.contains(entry)) {
                return;
            }
            wasFirst = line.peekFirst() == entry;
            line.remove(entry);
            if (line.isEmpty()) {
                local.remove(key);
            }
            next = wasFirst ? line.peekFirst() : null;
        }
        if (next != null) {
            next.wake();
        }
        try {
            // Only the first of this instance can be anyone's last obstacle: tell the others it left.
            jdbi.useHandle(h -> h.createQuery(wasFirst ? LEAVE : "DELETE FROM lock_waiters WHERE id = :id RETURNING id")
                    .bind("id", entry.id).mapToMap().list());
        } catch (JdbiException e) {
            // Not renewed any more, the entry lapses by itself within its lease.
            LOG.log(Level.WARNING, "could not leave the line of {0} ({1}); its entry lapses within {2}",
                    entry.client.key(), e.getMessage(), ENTRY_LEASE);
        }
    }

    @Override
    public void released(LockKey key) {
        Entry first;
        synchronized (this) {
            Deque<Entry> line = local.get(key);
            first = line == null ? null : line.peekFirst();
        }
        if (first != null) {
            first.wake();
        }
    }

    @Override
    public synchronized int waiting() {
        return local.values().stream().mapToInt(Deque::size).sum();
    }

    @Override
    public Map<LockKey, Integer> waitingFor(Collection<LockKey> keys) {
        if (keys.isEmpty()) {
            return Map.of();
        }
        List<LockKey> distinct = List.copyOf(new HashSet<>(keys));
        return translated(() -> jdbi.withHandle(h -> {
            Map<LockKey, Integer> counts = new HashMap<>();
            h.createQuery(COUNTS)
                    .bind("services", distinct.stream().map(LockKey::service).toArray(String[]::new))
                    .bind("environments", distinct.stream().map(LockKey::environment).toArray(String[]::new))
                    .bind("resources", distinct.stream().map(LockKey::resource).toArray(String[]::new))
                    .map((rs, ctx) -> Map.entry(new LockKey(rs.getString("service"), rs.getString("environment"),
                            rs.getString("resource")), rs.getInt("waiting")))
                    .forEach(count -> counts.put(count.getKey(), count.getValue()));
            return counts;
        }));
    }

    @Override
    public List<WaitingClient> queue(QueueFilter filter) {
        return translated(() -> jdbi.withHandle(h -> h.createQuery(QUEUE)
                .bind("service", filter.service())
                .bind("environment", filter.environment())
                .bind("resource", filter.resource())
                .map((rs, ctx) -> new WaitingClient(
                        new LockKey(rs.getString("service"), rs.getString("environment"), rs.getString("resource")),
                        rs.getString("who"), rs.getString("owner"),
                        new HolderRule(rs.getInt("holder_limit"), LockMode.parse(rs.getString("holder_mode"))),
                        LockRowMapper.instant(rs, "since")))
                .list()));
    }

    /**
     * Renews the leases of this instance's entries; an entry whose lease passed meanwhile (this process was frozen
     * longer than the lease) has lost its place, and joins again at the end of its line. Then removes lapsed
     * entries of any instance and wakes whoever waited behind them.
     */
    private void renewQuietly() {
        try {
            List<Entry> mine;
            synchronized (this) {
                mine = local.values().stream().flatMap(Deque::stream).toList();
            }
            if (!mine.isEmpty()) {
                Set<UUID> renewed = new HashSet<>(jdbi.withHandle(h -> h.createQuery(RENEW)
                        .bind("instance", instance)
                        .bind("leaseMicros", LockDurations.micros(ENTRY_LEASE))
                        .mapTo(UUID.class).list()));
                for (Entry entry : mine) {
                    if (!renewed.contains(entry.id) && stillWaiting(entry)) {
                        rejoin(entry);
                    }
                }
            }
            List<LockKey> freed = jdbi.withHandle(h -> h.createQuery(REMOVE_LAPSED)
                    .map((rs, ctx) -> new LockKey(rs.getString("service"), rs.getString("environment"),
                            rs.getString("resource")))
                    .list());
            for (LockKey key : freed) {
                jdbi.useHandle(h -> KeyAdmission.bindKey(h.createQuery(NOTIFY), key).mapToMap().list());
            }
        } catch (JdbiException | LockStoreUnavailableException e) {
            // MessageFormat: a lone apostrophe would quote the rest, {0} included (a trial saw it printed raw).
            LOG.log(Level.WARNING, "could not renew the places in line of this instance''s waiters: {0}",
                    e.getMessage());
        }
    }

    private synchronized boolean stillWaiting(Entry entry) {
        Deque<Entry> line = local.get(entry.client.key());
        return line != null && line.contains(entry);
    }

    /** An entry that lapsed: a new row at the end of the line, behind those who waited meanwhile. */
    private void rejoin(Entry entry) {
        entry.id = UUID.randomUUID();
        long seq = insert(entry);
        synchronized (this) {
            entry.seq = seq;
            entry.first = false;
            entry.checkedAt = 0;
        }
        LOG.log(Level.WARNING, "a waiter for {0} lost its place (its entry lapsed while this instance did not renew"
                + " it) and joined the end of the line", entry.client.key());
    }

    @Override
    public void close() {
        renewer.shutdownNow();
    }

    private static <T> T translated(Supplier<T> work) {
        try {
            return work.get();
        } catch (JdbiException e) {
            throw new LockStoreUnavailableException("the lock database is unavailable", e);
        }
    }

    /** One waiting client of this instance and its row. */
    private static final class Entry implements Place {
        private final WaitingClient client;
        private final Runnable wake;
        private volatile UUID id;
        private long seq;
        /** Known to be first: nobody who still waits came before it. */
        private volatile boolean first;
        /** When the database last said someone waits ahead (System.nanoTime), 0: never asked, or news since. */
        private volatile long checkedAt;

        private Entry(WaitingClient client, UUID id, Runnable wake) {
            this.client = client;
            this.id = id;
            this.wake = wake;
        }

        void wake() {
            checkedAt = 0; // news: ask again
            wake.run();
        }
    }
}
