package tracker.locks.domain.model;

import java.util.EnumSet;
import java.util.Objects;
import java.util.Set;

/**
 * Who is calling, as a token names them: a name (recorded as the owner of the locks it takes), what it may do, and
 * which services it may touch or see.
 *
 * @param name null only for {@link #ANYONE}
 */
public record Principal(String name, Set<Scope> scopes, ServicePatterns services) {

    /** Anybody at all, when authentication is off: every right on every service; the locks it takes have no owner. */
    public static final Principal ANYONE = new Principal(null, EnumSet.allOf(Scope.class), ServicePatterns.ALL);

    public Principal {
        scopes = scopes.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(scopes));
        Objects.requireNonNull(services, "services");
        if (name == null && !scopes.contains(Scope.ADMIN)) {
            throw new IllegalArgumentException("only ANYONE goes without a name");
        }
    }

    public boolean may(Scope scope) {
        return scopes.contains(Scope.ADMIN) || scopes.contains(scope);
    }

    /** What to record as the owner of a lock this principal takes; null for {@link #ANYONE}. */
    public String owner() {
        return name;
    }
}
