package io.flowraft.coordinator.engine.state;

/** The kinds of committed transitions a workflow's history records. Names are part of the API and
 * ordinals part of the snapshot format: never rename or reorder, only append. */
public enum HistoryKind {
    WORKFLOW_SUBMITTED,
    TASK_READY,
    TASK_SKIPPED,
    TASK_LEASED,
    TASK_COMPLETED,
    TASK_RETRY_SCHEDULED,
    TASK_FAILED,
    LEASE_EXPIRED,
    TASK_CANCELLED,
    WORKFLOW_COMPLETED,
    WORKFLOW_FAILED,
    WORKFLOW_CANCELLED
}
