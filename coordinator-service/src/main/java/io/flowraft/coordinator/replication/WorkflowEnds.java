package io.flowraft.coordinator.replication;

import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Wakes requests waiting for a workflow to finish: completes when this node applies the entry that makes the
 * workflow COMPLETED, FAILED or CANCELLED, when a snapshot replaces the state (it may have finished there), or
 * when the timeout passes. Spurious wake-ups are allowed, so callers read the workflow again and wait again
 * if it still runs. Register <em>before</em> reading the workflow: an end applied between the read and the
 * registration would otherwise be missed. Cancelling the future drops the registration at once.
 */
public interface WorkflowEnds {

    default CompletableFuture<Void> awaitEnd(String workflowId, Duration timeout) {
        return awaitAnyEnd(List.of(workflowId), timeout);
    }

    /** As {@link #awaitEnd}, for whichever of the workflows ends first: one registration for all of them. */
    CompletableFuture<Void> awaitAnyEnd(Collection<String> workflowIds, Duration timeout);
}
