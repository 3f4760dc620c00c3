package tracker.locks.domain.port.in;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.function.Function;

/**
 * Answers that come later ({@link LockUseCases#acquireAsync}) with their failures as the domain threw them: a
 * transport maps a {@link tracker.locks.domain.model.LockHeldException}, not the {@link CompletionException} that
 * {@link CompletableFuture#thenApply} would wrap it in, so every failure reaches the transport's one error mapper as
 * it does from a call that answers at once.
 */
public final class Completion {

    private Completion() {
    }

    /** {@code answer} turned into another answer by {@code then}; a failure of either passes through unwrapped. */
    public static <T, R> CompletableFuture<R> map(CompletableFuture<T> answer, Function<? super T, ? extends R> then) {
        CompletableFuture<R> mapped = new CompletableFuture<>();
        answer.whenComplete((value, failure) -> {
            if (failure != null) {
                mapped.completeExceptionally(cause(failure));
                return;
            }
            try {
                mapped.complete(then.apply(value));
            } catch (RuntimeException | Error e) {
                mapped.completeExceptionally(e);
            }
        });
        return mapped;
    }

    /** The failure itself, out of the wrappers the future API puts around it. */
    public static Throwable cause(Throwable failure) {
        Throwable cause = failure;
        while ((cause instanceof CompletionException || cause instanceof ExecutionException)
                && cause.getCause() != null) {
            cause = cause.getCause();
        }
        return cause;
    }

    /** The value of an answer already given, or its failure thrown as the domain threw it. */
    public static <T> T value(CompletableFuture<T> answered) {
        if (!answered.isDone()) {
            throw new IllegalStateException("not answered yet");
        }
        try {
            return answered.join();
        } catch (CompletionException | java.util.concurrent.CancellationException e) {
            throw rethrown(e);
        }
    }

    /** Runs {@code work}: its answer, or a future failed with what it threw. */
    public static <T> CompletableFuture<T> now(java.util.function.Supplier<T> work) {
        try {
            return CompletableFuture.completedFuture(work.get());
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    /** A failure that came as a cause, to throw: unchecked as it is (an Error is thrown here), anything else wrapped. */
    public static RuntimeException rethrown(Throwable failure) {
        Throwable cause = cause(failure);
        if (cause instanceof RuntimeException e) {
            return e;
        }
        if (cause instanceof Error e) {
            throw e;
        }
        return new CompletionException(cause);
    }
}
