package io.flowraft.contracts;

import java.time.Instant;

/**
 * One row of the workflow list: a {@link WorkflowView} without input and tasks, so pages stay small.
 *
 * @param id the workflow id
 * @param definition {@code name@version}, or {@code null} for an inline DAG
 * @param status where the workflow stands
 * @param createdAt when the submit was committed
 * @param finishedAt when it became terminal; {@code null} while RUNNING
 */
public record WorkflowSummary(String id, String definition, WorkflowStatus status, Instant createdAt,
        Instant finishedAt) {
}
