package tracker.locks.domain.port.out;

import java.util.function.Consumer;
import tracker.locks.domain.model.LockKey;

/**
 * Port out: news of releases made elsewhere — through another instance on the same database — so that clients
 * waiting here for that key try at once instead of at their next poll. Releases made through this instance need no
 * news: the service sees them itself.
 */
@FunctionalInterface
public interface ReleaseFeed {

    /** No other instance can release anything (an embedded database has one). */
    ReleaseFeed NONE = onRelease -> {
    };

    /** From now on, passes the key of every release announced elsewhere to {@code onRelease}, on its own thread. */
    void subscribe(Consumer<LockKey> onRelease);
}
