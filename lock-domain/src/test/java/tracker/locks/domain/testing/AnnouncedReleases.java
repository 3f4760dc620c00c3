package tracker.locks.domain.testing;

import java.util.Objects;
import java.util.function.Consumer;
import tracker.locks.domain.model.LockKey;
import tracker.locks.domain.port.out.ReleaseFeed;

/** A release feed the test feeds by hand: what another instance's announcement would bring. */
public final class AnnouncedReleases implements ReleaseFeed {

    private volatile Consumer<LockKey> subscriber = key -> {
    };

    @Override
    public void subscribe(Consumer<LockKey> onRelease) {
        subscriber = Objects.requireNonNull(onRelease, "onRelease");
    }

    /** Announces a release of {@code key} made elsewhere. */
    public void announce(LockKey key) {
        subscriber.accept(key);
    }
}
