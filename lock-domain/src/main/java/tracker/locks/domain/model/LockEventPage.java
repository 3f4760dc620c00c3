package tracker.locks.domain.model;

import java.util.List;

/** A page of a key's history, newest first, with the number of its events in all. */
public record LockEventPage(List<LockEvent> events, long total, PageRequest request) {

    public LockEventPage {
        events = List.copyOf(events);
    }
}
