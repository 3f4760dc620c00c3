package tracker.locks.app.rulebreakers.persistence;

import io.grpc.Status;

/** Breaks the persistence adapter's rule on purpose, so {@code DependencyRuleTest} can show the rule fails. */
public class PersistenceWithGrpc {

    Status unavailable() {
        return Status.UNAVAILABLE;
    }
}
