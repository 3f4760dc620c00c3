package tracker.locks.app.rulebreakers.grpc;

import java.sql.Connection;

/** Breaks the gRPC transport's rule on purpose, so {@code DependencyRuleTest} can show the rule fails. */
public class GrpcWithJdbc {

    Connection database;
}
