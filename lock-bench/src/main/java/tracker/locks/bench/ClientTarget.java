package tracker.locks.bench;

import tracker.locks.testkit.LockClient;

/**
 * The end-to-end tests' client (lock-testkit) as a load target: the benchmark's gRPC row calls the server exactly as
 * the multi-instance tests do. That client answers a failure instead of throwing, so a failure is thrown here, where
 * the load run counts it as an error.
 */
final class ClientTarget implements LoadTarget {

    private final LockClient client;

    ClientTarget(LockClient client) {
        this.client = client;
    }

    @Override
    public String acquire(String service, String environment, String who) {
        LockClient.AcquireAnswer answer = client.acquire(service, environment, who, null);
        return switch (answer.outcome()) {
            case ACQUIRED -> answer.id();
            case HELD -> null;
            case FAILED -> throw new IllegalStateException(client.describe() + ": acquire of " + service + "/"
                    + environment + " not answered, or answered with an error");
        };
    }

    @Override
    public void release(String id) {
        LockClient.ReleaseAnswer answer = client.release(id);
        if (answer != LockClient.ReleaseAnswer.RELEASED) {
            throw new IllegalStateException(client.describe() + ": release of " + id + " answered " + answer);
        }
    }

    @Override
    public void close() {
        client.close();
    }
}
