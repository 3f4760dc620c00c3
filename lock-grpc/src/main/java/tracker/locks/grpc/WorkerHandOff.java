package tracker.locks.grpc;

import io.grpc.Context;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import java.lang.System.Logger.Level;
import java.util.ArrayDeque;
import java.util.Queue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Moves each LockService call to a worker thread once, for the callback that does its work, and leaves the rest
 * of its callbacks on the transport's thread.
 *
 * <p>Why: grpc-java's default executor hands every callback of a call (start, message, half-close, ready,
 * complete) from the Netty event loop to a pooled thread, several hand-offs per unary call, each a thread wake-up;
 * under load they were about a quarter of the server's processor time. With the server on {@code directExecutor()}
 * the cheap callbacks run where they arrive, and only {@code onHalfClose} — where a unary method runs and may wait
 * on the database — goes to a worker, so the event loop never blocks on a query.
 *
 * <p>gRPC promises a listener that its callbacks never overlap. While a worker runs a call's method, the callbacks
 * that arrive meanwhile (its cancellation when the deadline passes, its completion once the answer is sent) are
 * queued and run by that worker after it, in order; when no worker owns the call they run at once. Every callback
 * runs in the gRPC {@link Context} it arrived in, so deadlines and the caller's credentials go with it.
 */
final class WorkerHandOff implements ServerInterceptor, AutoCloseable {

    private static final System.Logger LOG = System.getLogger(WorkerHandOff.class.getName());

    // Cached, as grpc-java's own default: a call waiting on a database connection holds its thread, and a bounded
    // pool would queue the calls behind it that need none. Waiting for a held lock holds no thread (see createLock).
    private final ExecutorService workers = Executors.newCachedThreadPool(new NamedDaemons("tracker-grpc-call-"));

    @Override
    public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers,
                                                       ServerCallHandler<Q, R> next) {
        return new SerializedListener<>(next.startCall(call, headers), call);
    }

    /** Lets running calls finish; a call arriving after this is answered UNAVAILABLE. */
    @Override
    public void close() {
        workers.shutdown();
    }

    private final class SerializedListener<Q> extends ServerCall.Listener<Q> {

        private final ServerCall.Listener<Q> delegate;
        private final ServerCall<Q, ?> call;
        private final Object guard = new Object();
        /** Non-null while a worker owns the call: the callbacks it runs after the current one. */
        private Queue<Runnable> queued;

        SerializedListener(ServerCall.Listener<Q> delegate, ServerCall<Q, ?> call) {
            this.delegate = delegate;
            this.call = call;
        }

        @Override
        public void onMessage(Q message) {
            here(() -> delegate.onMessage(message));
        }

        @Override
        public void onHalfClose() {
            onWorker(delegate::onHalfClose);
        }

        @Override
        public void onCancel() {
            here(delegate::onCancel);
        }

        @Override
        public void onComplete() {
            here(delegate::onComplete);
        }

        @Override
        public void onReady() {
            here(delegate::onReady);
        }

        /** Runs {@code callback} on this thread, or after the worker's current one when a worker owns the call. */
        private void here(Runnable callback) {
            synchronized (guard) {
                if (queued != null) {
                    queued.add(Context.current().wrap(callback));
                    return;
                }
            }
            callback.run();
        }

        private void onWorker(Runnable callback) {
            Runnable inContext = Context.current().wrap(callback);
            synchronized (guard) {
                if (queued != null) {
                    queued.add(inContext);
                    return;
                }
                queued = new ArrayDeque<>(2);
            }
            try {
                workers.execute(() -> runThenDrain(inContext));
            } catch (RejectedExecutionException stopping) {
                call.close(Status.UNAVAILABLE.withDescription("the server is shutting down"), new Metadata());
                runThenDrain(() -> { });
            }
        }

        private void runThenDrain(Runnable first) {
            Runnable next = first;
            while (next != null) {
                try {
                    next.run();
                } catch (RuntimeException | Error failure) {
                    failed(failure);
                }
                synchronized (guard) {
                    next = queued.poll();
                    if (next == null) {
                        queued = null;
                    }
                }
            }
        }

        // LockErrorInterceptor maps what the methods throw; this is for what gets past it, as gRPC itself would.
        private void failed(Throwable failure) {
            LOG.log(Level.ERROR, "a gRPC call failed outside the error mapping", failure);
            try {
                call.close(Status.UNKNOWN.withDescription("Application error processing RPC"), new Metadata());
            } catch (IllegalStateException alreadyClosed) {
                // It had answered before failing; nothing more to tell the client.
            }
        }
    }

    private static final class NamedDaemons implements ThreadFactory {
        private final String prefix;
        private final AtomicInteger count = new AtomicInteger();

        NamedDaemons(String prefix) {
            this.prefix = prefix;
        }

        @Override
        public Thread newThread(Runnable work) {
            Thread thread = new Thread(work, prefix + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        }
    }
}
