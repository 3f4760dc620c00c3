package tracker.locks.rest;

/** The answer to a successful release, in the guide's words. */
public record ReleasedJson(boolean success, String message) {

    static final ReleasedJson RELEASED = new ReleasedJson(true, "Lock released successfully");
}
