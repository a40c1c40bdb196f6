package io.flowraft.contracts;

import java.time.Instant;
import java.util.List;

/**
 * One row of the workflow list: a {@link WorkflowView} without input and tasks, so pages stay small.
 *
 * @param id the workflow id
 * @param definition {@code name@version}, or {@code null} for an inline DAG
 * @param status where the workflow stands
 * @param createdAt when the submit was committed
 * @param finishedAt when it became terminal; {@code null} while RUNNING
 * @param stuckReasons why the workflow makes no progress, in task order: only in answers to {@code ?stuck=true}
 *     (never empty there), {@code null} (absent) otherwise
 */
public record WorkflowSummary(String id, String definition, WorkflowStatus status, Instant createdAt,
        Instant finishedAt, List<StuckReason> stuckReasons) {

    public WorkflowSummary {
        stuckReasons = Copies.orNull(stuckReasons);
    }

    /** A row of the plain list, with no stuck reasons. */
    public WorkflowSummary(String id, String definition, WorkflowStatus status, Instant createdAt, Instant finishedAt) {
        this(id, definition, status, createdAt, finishedAt, null);
    }
}
