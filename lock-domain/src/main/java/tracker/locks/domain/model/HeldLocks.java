package tracker.locks.domain.model;

import java.time.Instant;

/** How many locks are held through every instance, and since when the oldest is (null when none is). */
public record HeldLocks(long count, Instant oldestSince) {
}
