package io.flowraft.contracts;

/**
 * Optional body of {@code POST /api/v1/workflows/{id}/cancel}. Cancelling revokes outstanding leases (their
 * reports are then rejected as stale) and marks every non-terminal task CANCELLED. Cancelling a workflow that
 * is already CANCELLED does nothing; one that finished otherwise is {@link ProblemType#WORKFLOW_FINISHED}.
 *
 * @param reason why, kept in the history; {@code null} if none
 */
public record CancelWorkflowRequest(String reason) {
}
