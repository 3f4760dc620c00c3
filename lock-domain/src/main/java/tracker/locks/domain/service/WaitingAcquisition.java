package tracker.locks.domain.service;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.atomic.AtomicInteger;
import tracker.locks.domain.model.CallerGoneException;
import tracker.locks.domain.model.Lock;
import tracker.locks.domain.model.LockHeldException;
import tracker.locks.domain.model.LockMode;
import tracker.locks.domain.model.ServiceStoppingException;
import tracker.locks.domain.model.WaitingClient;
import tracker.locks.domain.port.in.AcquireLockCommand;
import tracker.locks.domain.port.in.Caller;
import tracker.locks.domain.port.out.WaitingLine;

/**
 * One client waiting for a held key, as a sequence of looks instead of a thread: each look tries the key when it is
 * the client's turn, and otherwise says when to look again — at a release or a move of the line (the line's wake-up),
 * when the holder's lease ends, at the fallback poll, at the deadline, or when the caller is seen gone. Looks run one
 * at a time, on the caller's thread for the first and on the {@link WaitingRoom}'s workers after that.
 *
 * <p>A newcomer queues behind the clients already waiting instead of trying first, so waiters are served in arrival
 * order.
 */
final class WaitingAcquisition {

    /** What a look does to the key: the service's attempt and release. */
    interface Attempts {

        /** @param yieldsToExclusive whether an exclusive request waits ahead of this one */
        Lock attempt(AcquireLockCommand command, Duration lease, boolean yieldsToExclusive);

        void release(Lock lock);
    }

    /**
     * How often the first waiter tries the key even without news of a release: a safety net for a release
     * notification lost between instances, or a lease judged by a database clock ahead of ours. Also how often the
     * first waiter of this instance asks whether a waiter ahead of it elsewhere has gone.
     */
    static final Duration FALLBACK_POLL = Duration.ofSeconds(1);

    private final AcquireLockCommand command;
    private final Duration lease;
    private final Instant deadline;
    private final Caller caller;
    private final WaitingClient client;
    private final WaitingLine line;
    private final Clock clock;
    private final WaitingRoom room;
    private final Attempts attempts;
    private final CompletableFuture<Lock> answer = new CompletableFuture<>();
    /** Looks asked for and not yet begun, plus the one running: a look runs only when this goes from 0 to 1. */
    private final AtomicInteger looks = new AtomicInteger();
    private volatile boolean woken;
    private volatile boolean abandoned;
    private volatile boolean stopped;

    // Written and read by one look at a time (the hand-over through `looks` and the executors orders them).
    private WaitingLine.Place place;
    private Instant nextTry;
    private ScheduledFuture<?> timer;

    WaitingAcquisition(AcquireLockCommand command, Duration lease, Instant deadline, Caller caller, WaitingLine line,
                       Clock clock, WaitingRoom room, Attempts attempts) {
        this.command = command;
        this.lease = lease;
        this.deadline = deadline;
        this.caller = caller;
        this.line = line;
        this.clock = clock;
        this.room = room;
        this.attempts = attempts;
        this.client = new WaitingClient(command.key(), command.who(), command.owner(), command.rule(),
                clock.instant());
    }

    /** Joins the line when others wait, takes the first look on this thread, and answers when the wait is over. */
    CompletableFuture<Lock> start() {
        try {
            place = line.anyoneWaitingFor(command.key()) ? line.join(client, this::wake) : null;
        } catch (RuntimeException e) {
            answer.completeExceptionally(e);
            return answer;
        }
        nextTry = clock.instant();
        room.watch(this);
        looks.incrementAndGet();
        runLooks();
        return answer;
    }

    /** Whether the answer is given (the lock, or why not). */
    boolean answered() {
        return answer.isDone();
    }

    /** Whether the client has gone; a caller that cannot even be asked counts as gone. */
    boolean callerGone() {
        try {
            return abandoned || caller.hasGivenUp();
        } catch (RuntimeException e) {
            return true;
        }
    }

    /** The one waiting for the answer stopped waiting (its thread was interrupted): the wait ends as for a gone caller. */
    void abandon() {
        abandoned = true;
        lookAgain();
    }

    /** The server is shutting down: the next look answers the client so (unless it has just been granted). */
    void stop() {
        stopped = true;
        lookAgain();
    }

    /** Asks for a look soon, on a worker. */
    void lookAgain() {
        if (!answer.isDone() && looks.getAndIncrement() == 0) {
            room.run(this::runLooks);
        }
    }

    /** News from the line: a release or a move; the first in line tries at once. */
    private void wake() {
        woken = true;
        lookAgain();
    }

    private void runLooks() {
        do {
            looks.set(1); // whatever was asked for so far, this look sees
            if (!answer.isDone()) {
                lookOrAnswer();
            }
        } while (looks.decrementAndGet() > 0);
    }

    private void lookOrAnswer() {
        try {
            Lock lock = look();
            if (lock != null) {
                granted(lock);
            }
        } catch (RuntimeException e) {
            ended(e);
        }
    }

    /** @return the lock when taken; null when it is not over yet (the next look is then arranged) */
    private Lock look() {
        Instant now = clock.instant();
        if (stopped) {
            throw new ServiceStoppingException();
        }
        if (callerGone()) {
            throw new CallerGoneException();
        }
        if (woken) {
            woken = false;
            nextTry = now; // a release: try at once
        }
        boolean myTurn = place == null || line.isFirst(place);
        if (!now.isBefore(deadline)) {
            // the last try: the lock, or the usual conflict
            boolean yields = !myTurn && command.rule().mode() == LockMode.SHARED
                    && line.exclusiveWaitingFor(command.key());
            return attempts.attempt(command, lease, yields);
        }
        if (myTurn && !now.isBefore(nextTry)) {
            try {
                // Nobody waits ahead of the first in line, so it never yields to a waiting exclusive request.
                return attempts.attempt(command, lease, false);
            } catch (LockHeldException held) {
                nextTry = nextTry(now, held.holder());
                if (place != null && held.reason() == LockHeldException.Reason.OTHER_LIMIT) {
                    // Taken with another limit, the key has no place for it until every holder is gone, however
                    // many places are free: it goes to the back of the line rather than hold up the waiters behind
                    // it who could have one now.
                    line.leave(place);
                    place = line.join(client, this::wake);
                }
            }
        }
        if (place == null) {
            place = line.join(client, this::wake);
            // A release between the try above and the join may not have seen this client in line, and a line
            // shared by instances announces a release only to keys with waiters: one more try, now that it is in
            // line, either takes the key or is sure to hear of its release.
            woken = true;
            lookAgain();
        }
        Instant lookAt = deadline;
        if (myTurn) {
            lookAt = earliest(lookAt, nextTry);
        } else if (line.firstHere(place)) {
            lookAt = earliest(lookAt, now.plus(FALLBACK_POLL));
        }
        lookAt(Duration.between(now, lookAt));
        return null;
    }

    private void lookAt(Duration delay) {
        if (timer != null) {
            timer.cancel(false);
        }
        timer = room.after(delay, this::lookAgain);
    }

    /** Without news, try again when the holder's lease ends, or at the fallback poll, whichever comes first. */
    private static Instant nextTry(Instant now, Lock holder) {
        Instant poll = now.plus(FALLBACK_POLL);
        return holder.expiry().map(end -> earliest(poll, end.plusMillis(1))).orElse(poll);
    }

    /** A lock taken for a caller that has gone meanwhile is released at once: nobody would know to release it. */
    private void granted(Lock lock) {
        if (callerGone()) {
            try {
                attempts.release(lock);
            } finally {
                ended(new CallerGoneException());
            }
            return;
        }
        leaveLine();
        answer.complete(lock);
    }

    private void ended(RuntimeException why) {
        leaveLine();
        answer.completeExceptionally(why);
    }

    private void leaveLine() {
        if (timer != null) {
            timer.cancel(false);
        }
        if (place != null) {
            line.leave(place);
            place = null;
        }
    }

    private static Instant earliest(Instant a, Instant b) {
        return a.isBefore(b) ? a : b;
    }
}
