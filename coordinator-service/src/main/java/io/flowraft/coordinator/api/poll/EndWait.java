package io.flowraft.coordinator.api.poll;

import java.time.Duration;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.function.Supplier;
import org.springframework.web.context.request.async.DeferredResult;

/**
 * A read that may wait for workflows to end ({@code GET /workflows/{id}?waitMs=}, {@code POST /workflows/ends}),
 * driven by futures: no thread waits. It registers with {@code WorkflowEnds}, then reads; if the answer is not
 * final yet and time remains, it waits for the registration to fire (a workflow ended on this node, or may have),
 * then registers and reads again. At the deadline it answers what the last read found: the client checks it.
 *
 * <p>The registration comes <em>before</em> each read, so an end applied between the read and the registration
 * completes it at once and is never missed (at worst one more read).
 *
 * @param <T> the answer
 */
public final class EndWait<T> {

    private final Executor executor;
    private final Function<Duration, CompletableFuture<Void>> register;
    private final Supplier<CompletableFuture<T>> read;
    private final Predicate<T> answered;
    private final Deadline deadline;
    private final CompletableFuture<T> result = new CompletableFuture<>();
    private volatile CompletableFuture<Void> wake;

    /**
     * @param register registers for the ends that matter for at most the given time ({@code WorkflowEnds})
     * @param read     reads the answer at the request's consistency; fails with the read's problem (404 for an
     *                 unknown workflow), which ends the wait
     * @param answered whether an answer is final (an end was found), so the wait is over
     */
    public EndWait(Executor executor, Duration waitFor, Function<Duration, CompletableFuture<Void>> register,
            Supplier<CompletableFuture<T>> read, Predicate<T> answered) {
        this.executor = executor;
        this.register = register;
        this.read = read;
        this.answered = answered;
        this.deadline = Deadline.after(waitFor);
    }

    /**
     * Starts the wait and holds the request for it: the answer, or the read's failure, once it comes; the wait
     * is dropped when the request is answered, times out ({@code waitFor} + {@code slack}) or the client goes.
     */
    public DeferredResult<T> hold(Duration waitFor, Duration slack) {
        // The wait itself ends the request; this timeout only catches a read that never answers.
        DeferredResult<T> response = new DeferredResult<>(waitFor.toMillis() + slack.toMillis());
        start().whenComplete((answer, failure) -> {
            if (failure == null) {
                response.setResult(answer);
            } else if (!(failure instanceof CancellationException)) {
                response.setErrorResult(failure);
            }
        });
        response.onCompletion(this::cancel);
        response.onError(failure -> cancel());
        return response;
    }

    /** Starts the wait; the future completes with the answer, or fails with the read's failure. */
    public CompletableFuture<T> start() {
        readOnce();
        return result;
    }

    /** Stops waiting (answered, timed out, or the client went away) and drops the registration. */
    public void cancel() {
        result.cancel(false);
        cancelWake();
    }

    private void readOnce() {
        if (result.isDone()) {
            return;
        }
        CompletableFuture<Void> registration = deadline.passed() ? null : register.apply(deadline.remainingRoundedUp());
        wake = registration;
        CompletableFuture<T> answer;
        try {
            answer = read.get();
        } catch (RuntimeException e) {
            finish(null, e);
            return;
        }
        answer.whenCompleteAsync((found, failure) -> {
            try {
                if (failure != null || registration == null || answered.test(found)) {
                    finish(found, failure);
                } else {
                    registration.whenCompleteAsync((ignored, error) -> readOnce(), executor);
                }
            } catch (RuntimeException e) {
                // Never leave the request hanging until it times out.
                finish(null, e);
            }
        }, executor);
    }

    private void finish(T found, Throwable failure) {
        cancelWake();
        if (failure != null) {
            result.completeExceptionally(failure);
        } else {
            result.complete(found);
        }
    }

    private void cancelWake() {
        CompletableFuture<Void> current = wake;
        if (current != null) {
            // Lets WorkflowEnds drop the registration now instead of at its timeout.
            current.cancel(false);
        }
    }
}
