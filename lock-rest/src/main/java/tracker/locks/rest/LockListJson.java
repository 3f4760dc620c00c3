package tracker.locks.rest;

import java.util.List;
import tracker.locks.domain.model.LockPage;

/** One page of the lock list with its position, as {@code GET /locks/list} answers. */
public record LockListJson(List<LockJson> locks, long total, int page, int perPage)implements JsonAnswer {

    public static LockListJson of(LockPage page) {
        return new LockListJson(page.locks().stream().map(lock -> LockJson.of(lock, page.waitersFor(lock))).toList(),
                page.total(),
                page.request().page(), page.request().perPage());
    }
}
