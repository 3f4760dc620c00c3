package tracker.locks.app;

import io.dropwizard.lifecycle.Managed;
import tracker.locks.persistence.PostgresReleaseListener;

/** Runs the PostgreSQL release listener for as long as the server runs. */
final class ManagedReleaseListener implements Managed {

    private final PostgresReleaseListener listener;

    ManagedReleaseListener(PostgresReleaseListener listener) {
        this.listener = listener;
    }

    @Override
    public void start() {
        listener.start();
    }

    @Override
    public void stop() throws InterruptedException {
        listener.close();
    }
}
