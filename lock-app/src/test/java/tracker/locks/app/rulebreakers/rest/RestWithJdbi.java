package tracker.locks.app.rulebreakers.rest;

import org.jdbi.v3.core.Jdbi;

/** Breaks the REST transport's rule on purpose, so {@code DependencyRuleTest} can show the rule fails. */
public class RestWithJdbi {

    Jdbi database;
}
