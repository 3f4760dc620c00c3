package tracker.locks.rest;

import tracker.locks.domain.port.in.LockUseCases;

/** The answer to a successful release, in the guide's words. */
public record ReleasedJson(boolean success, String message)implements JsonAnswer {

    static final ReleasedJson RELEASED = new ReleasedJson(true, LockUseCases.RELEASED);
}
