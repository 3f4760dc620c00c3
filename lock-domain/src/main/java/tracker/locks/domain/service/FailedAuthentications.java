package tracker.locks.domain.service;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import tracker.locks.domain.model.Durations;
import tracker.locks.domain.model.TooManyFailedAuthenticationsException;

/**
 * Slows down guessing: a client (an address) that presented a wrong token {@link #ALLOWED} times within a
 * {@link #WINDOW} is refused until that window has passed, whatever it presents meanwhile. At most
 * {@link #PRUNE_ABOVE} addresses are remembered at a time.
 */
final class FailedAuthentications {

    static final int ALLOWED = 10;
    static final Duration WINDOW = Duration.ofMinutes(1);
    /** Past this many clients remembered, the ones whose window has passed are forgotten. */
    static final int PRUNE_ABOVE = 10_000;

    private static final System.Logger LOG = System.getLogger(FailedAuthentications.class.getName());

    private final Clock clock;
    private final Map<String, Window> byClient = new HashMap<>();

    FailedAuthentications(Clock clock) {
        this.clock = clock;
    }

    /** @throws TooManyFailedAuthenticationsException when {@code client} used up its failures of this window */
    synchronized void checkAllowed(String client) {
        Window window = byClient.get(client);
        Instant now = clock.instant();
        if (window != null && window.failures >= ALLOWED && now.isBefore(window.ends)) {
            throw new TooManyFailedAuthenticationsException(Duration.between(now, window.ends));
        }
    }

    /**
     * Counts a failure of {@code client}; each is logged with the client and the reason, never the token presented,
     * and at most {@link #ALLOWED} times a window per client, since further attempts are refused unlogged.
     */
    synchronized void failed(String client, String reason) {
        Instant now = clock.instant();
        Window window = byClient.get(client);
        if (window == null || !now.isBefore(window.ends)) {
            if (byClient.size() >= PRUNE_ABOVE) {
                prune(now);
                if (byClient.size() >= PRUNE_ABOVE) {
                    return; // a flood from more addresses than are remembered: memory first, the next window counts
                }
            }
            window = new Window(now.plus(WINDOW));
            byClient.put(client, window);
        }
        window.failures++;
        LOG.log(System.Logger.Level.INFO, "authentication failed for client {0}: {1}", client, reason);
        if (window.failures == ALLOWED) {
            LOG.log(System.Logger.Level.WARNING, "client {0} failed to authenticate {1} times within {2}; refusing"
                    + " its calls until {3}", client, ALLOWED, Durations.describe(WINDOW), window.ends);
        }
    }

    private void prune(Instant now) {
        for (Iterator<Window> windows = byClient.values().iterator(); windows.hasNext(); ) {
            if (!now.isBefore(windows.next().ends)) {
                windows.remove();
            }
        }
    }

    private static final class Window {
        private final Instant ends;
        private int failures;

        Window(Instant ends) {
            this.ends = ends;
        }
    }
}
