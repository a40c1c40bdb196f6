package io.flowraft.coordinator.engine.state;

/**
 * The kinds of committed transitions a workflow's history records. Ordinals are part of the snapshot format: never
 * reorder, only append. The wire name (an event name in the past tense) is what the API answers and what history in
 * PostgreSQL stores: written out rather than derived from the constant, so that renaming a constant changes neither.
 */
public enum HistoryKind {
    WORKFLOW_SUBMITTED("WorkflowSubmitted"),
    TASK_READY("TaskReadied"),
    TASK_SKIPPED("TaskSkipped"),
    TASK_LEASED("LeaseGranted"),
    TASK_COMPLETED("TaskCompleted"),
    TASK_RETRY_SCHEDULED("TaskRetryScheduled"),
    TASK_FAILED("TaskFailed"),
    LEASE_EXPIRED("LeaseExpired"),
    TASK_CANCELLED("TaskCancelled"),
    WORKFLOW_COMPLETED("WorkflowCompleted"),
    WORKFLOW_FAILED("WorkflowFailed"),
    WORKFLOW_CANCELLED("WorkflowCancelled");

    private final String wireName;

    HistoryKind(String wireName) {
        this.wireName = wireName;
    }

    /** The name the API and history in PostgreSQL use. */
    public String wireName() {
        return wireName;
    }
}
