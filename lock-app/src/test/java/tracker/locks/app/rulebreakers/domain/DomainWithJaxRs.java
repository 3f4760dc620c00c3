package tracker.locks.app.rulebreakers.domain;

import jakarta.ws.rs.Path;

/** Breaks the domain's rule on purpose, so {@code DependencyRuleTest} can show the rule fails. */
@Path("/nowhere")
public class DomainWithJaxRs {
}
