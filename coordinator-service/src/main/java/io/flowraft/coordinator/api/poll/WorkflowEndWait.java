package io.flowraft.coordinator.api.poll;

import io.flowraft.contracts.WorkflowView;
import io.flowraft.coordinator.replication.WorkflowEnds;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.function.Supplier;

/**
 * One read of a workflow that may wait for its end ({@code GET /workflows/{id}?waitMs=}), driven by futures:
 * no thread waits. It registers with {@link WorkflowEnds}, then reads; if the workflow still runs and time
 * remains, it waits for the registration to fire (the workflow ended on this node, or may have), then
 * registers and reads again. At the deadline it answers the view as it stands: the client checks its status.
 *
 * <p>The registration comes <em>before</em> each read, so an end applied between the read and the
 * registration completes it at once and is never missed (at worst one more read).
 */
public final class WorkflowEndWait {

    private final WorkflowEnds ends;
    private final Executor executor;
    private final String workflowId;
    private final Supplier<CompletableFuture<WorkflowView>> read;
    private final Deadline deadline;
    private final CompletableFuture<WorkflowView> result = new CompletableFuture<>();
    private volatile CompletableFuture<Void> wake;

    /**
     * @param read reads the workflow's view at the request's consistency; fails with the read's problem
     *             (404 for an unknown workflow), which ends the wait
     */
    public WorkflowEndWait(WorkflowEnds ends, Executor executor, String workflowId, Duration waitFor,
            Supplier<CompletableFuture<WorkflowView>> read) {
        this.ends = ends;
        this.executor = executor;
        this.workflowId = workflowId;
        this.read = read;
        this.deadline = Deadline.after(waitFor);
    }

    /** Starts the wait; the future completes with the view, or fails with the read's failure. */
    public CompletableFuture<WorkflowView> start() {
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
        CompletableFuture<Void> registration = deadline.passed()
                ? null
                : ends.awaitEnd(workflowId, deadline.remainingRoundedUp());
        wake = registration;
        CompletableFuture<WorkflowView> view;
        try {
            view = read.get();
        } catch (RuntimeException e) {
            finish(null, e);
            return;
        }
        view.whenCompleteAsync((answer, failure) -> {
            try {
                if (failure != null || registration == null || answer.status().isTerminal()) {
                    finish(answer, failure);
                } else {
                    registration.whenCompleteAsync((ignored, error) -> readOnce(), executor);
                }
            } catch (RuntimeException e) {
                // Never leave the request hanging until it times out.
                finish(null, e);
            }
        }, executor);
    }

    private void finish(WorkflowView view, Throwable failure) {
        cancelWake();
        if (failure != null) {
            result.completeExceptionally(failure);
        } else {
            result.complete(view);
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
