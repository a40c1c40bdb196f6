package io.flowraft.contracts;

/**
 * Where a workflow stands. A workflow is RUNNING until every task is terminal; then it is COMPLETED, or
 * FAILED if any task failed. CANCELLED comes only from a cancel request. The three end states are terminal.
 */
public enum WorkflowStatus {
    RUNNING,
    COMPLETED,
    FAILED,
    CANCELLED;

    public boolean isTerminal() {
        return this != RUNNING;
    }
}
