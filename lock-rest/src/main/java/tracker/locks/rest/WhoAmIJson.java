package tracker.locks.rest;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.swagger.v3.oas.annotations.media.Schema;
import java.util.List;
import java.util.Locale;
import tracker.locks.domain.model.Principal;
import tracker.locks.domain.model.Scope;

/**
 * Who the caller is, as {@code GET /whoami} answers: whether authentication is on, and then the token's name, its
 * scopes and its service patterns — what a client (the dashboard) needs to offer only what the caller may do.
 * Never the token itself.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record WhoAmIJson(boolean authentication, String name,
                         @Schema(allowableValues = {"read", "write", "admin"}) List<String> scopes,
                         List<String> services)implements JsonAnswer {

    public static WhoAmIJson of(Principal principal) {
        boolean authenticated = !Principal.ANYONE.equals(principal);
        List<String> scopes = principal.scopes().stream().sorted().map(WhoAmIJson::word).toList();
        List<String> services = principal.services().all() ? List.of("*") : principal.services().globs();
        return new WhoAmIJson(authenticated, authenticated ? principal.name() : null, scopes, services);
    }

    private static String word(Scope scope) {
        return scope.name().toLowerCase(Locale.ROOT);
    }
}
