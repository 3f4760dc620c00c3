package tracker.locks.persistence;

import java.util.Objects;
import java.util.function.Consumer;

/**
 * Group commit for a flush to disk: callers whose writes have committed wait until a flush that began after their
 * commit has finished. One caller at a time runs the flush, for itself and for everybody who committed before it
 * began; those who commit meanwhile are covered by the next one. So under load one flush serves many writes, and a
 * lone write pays one flush.
 *
 * <p>Why: H2 never forces its file to the disk on its own; an answer sent before that is a lock a power cut can lose.
 * Flushing after each write on its own works but costs a disk flush per request; sharing it costs one per batch.
 *
 * @param <R> what the flush runs on (a database handle): the caller that runs a flush passes its own
 */
final class GroupSync<R> {

    private final Consumer<R> flush;
    private final Object monitor = new Object();
    /** Tickets handed out: each caller takes one after its commit. */
    private long issued;
    /** Every ticket up to this one is covered by a finished flush. */
    private long flushed;
    private boolean flushing;

    GroupSync(Consumer<R> flush) {
        this.flush = Objects.requireNonNull(flush, "flush");
    }

    /**
     * Returns once everything this thread committed before the call is on disk; runs the flush on {@code resource}
     * when no flush that covers the caller is running. A failed flush is thrown to the caller that ran it; the others
     * it would have covered try again themselves. Never gives up on an interrupt (the write has committed: its
     * answer must wait for the disk), but keeps the interrupt for the caller.
     */
    void awaitFlushed(R resource) {
        boolean interrupted = false;
        long mine;
        synchronized (monitor) {
            mine = ++issued;
        }
        try {
            while (true) {
                long covers;
                synchronized (monitor) {
                    while (flushing && flushed < mine) {
                        try {
                            monitor.wait();
                        } catch (InterruptedException e) {
                            interrupted = true;
                        }
                    }
                    if (flushed >= mine) {
                        return;
                    }
                    flushing = true;
                    covers = issued;
                }
                boolean done = false;
                try {
                    flush.accept(resource);
                    done = true;
                } finally {
                    synchronized (monitor) {
                        flushing = false;
                        if (done) {
                            flushed = Math.max(flushed, covers);
                        }
                        monitor.notifyAll();
                    }
                }
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
