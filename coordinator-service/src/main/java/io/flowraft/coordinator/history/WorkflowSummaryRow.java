package io.flowraft.coordinator.history;

/** One line of the workflow list. Times are epoch milliseconds; 0 means not set. */
public record WorkflowSummaryRow(String id, String definitionRef, String status, long createdAt, long finishedAt) {
}
