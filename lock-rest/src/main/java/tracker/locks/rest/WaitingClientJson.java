package tracker.locks.rest;

import com.fasterxml.jackson.annotation.JsonInclude;
import tracker.locks.domain.model.WaitingClient;

/**
 * A client waiting in line, as {@code GET /locks/queue} lists it: its key, who, its principal (with
 * authentication on), how it wants the key ({@code mode}, and {@code limit} for a semaphore's place, as on a lock), since when it waits (UTC, whole seconds, like a lock's
 * {@code createdAt}), and its place in its key's line (1: served next).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record WaitingClientJson(String service, String environment, String resource, String who, String owner,
                                String mode, Integer limit, String since, int position) {

    static WaitingClientJson of(WaitingClient client, int position) {
        return new WaitingClientJson(client.key().service(),
                LockJson.emptyAsAbsent(client.key().environment()),
                LockJson.emptyAsAbsent(client.key().resource()),
                client.who(),
                client.owner(),
                client.rule().mode().wireName(),
                client.rule().limit() > 1 ? client.rule().limit() : null,
                LockJson.timestamp(client.since()),
                position);
    }
}
