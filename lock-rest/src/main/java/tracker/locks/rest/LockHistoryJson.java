package tracker.locks.rest;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;
import tracker.locks.domain.model.LockEvent;
import tracker.locks.domain.model.LockEventPage;

/**
 * History events: a page of a service's keys' history, newest first, with its position ({@code total},
 * {@code page}, {@code perPage}, as the lock list has them), or one lock's life, oldest first (events only).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record LockHistoryJson(List<LockEventJson> events, Long total, Integer page, Integer perPage)
        implements JsonAnswer {

    public static LockHistoryJson of(LockEventPage page) {
        return new LockHistoryJson(page.events().stream().map(LockEventJson::of).toList(), page.total(),
                page.request().page(), page.request().perPage());
    }

    public static LockHistoryJson of(List<LockEvent> events) {
        return new LockHistoryJson(events.stream().map(LockEventJson::of).toList(), null, null, null);
    }
}
