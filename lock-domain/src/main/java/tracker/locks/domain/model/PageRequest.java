package tracker.locks.domain.model;

/** One page of the lock list; pages count from 1. */
public record PageRequest(int page, int perPage) {

    public static final int DEFAULT_PER_PAGE = 100;
    public static final int MAX_PER_PAGE = 1000;

    public PageRequest {
        if (perPage < 1 || perPage > MAX_PER_PAGE) {
            throw new InvalidLockRequestException("per_page",
                    "per_page must be between 1 and " + MAX_PER_PAGE + ", got " + perPage);
        }
        if (page < 1) {
            throw new InvalidLockRequestException("page", "page must be 1 or more, got " + page);
        }
    }


    /** How many locks come before this page; a long because page × perPage can pass Integer.MAX_VALUE. */
    public long offset() {
        return (long) (page - 1) * perPage;
    }
}
