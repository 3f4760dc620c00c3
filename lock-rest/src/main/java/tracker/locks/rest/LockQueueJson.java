package tracker.locks.rest;

import java.util.ArrayList;
import java.util.List;
import tracker.locks.domain.model.LockKey;
import tracker.locks.domain.model.WaitingClient;

/** The lines of waiting clients of a service's keys, each key's line in the order it will be served. */
public record LockQueueJson(List<WaitingClientJson> waiters, int total)implements JsonAnswer {

    static LockQueueJson of(List<WaitingClient> waiting) {
        List<WaitingClientJson> listed = new ArrayList<>(waiting.size());
        LockKey line = null;
        int position = 0;
        for (WaitingClient client : waiting) {
            position = client.key().equals(line) ? position + 1 : 1;
            line = client.key();
            listed.add(WaitingClientJson.of(client, position));
        }
        return new LockQueueJson(listed, listed.size());
    }
}
