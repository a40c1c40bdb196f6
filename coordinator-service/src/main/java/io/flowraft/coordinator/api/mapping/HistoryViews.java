package io.flowraft.coordinator.api.mapping;

import io.flowraft.contracts.HistoryEntry;
import io.flowraft.contracts.WorkflowHistory;
import io.flowraft.coordinator.engine.model.LeaseId;
import io.flowraft.coordinator.engine.state.HistoryKind;
import java.util.ArrayList;
import java.util.List;

/** Maps a workflow's committed history to the wire. Entries are immutable, so only the list is copied under the lock. */
public final class HistoryViews {

    private HistoryViews() {
    }

    public static WorkflowHistory toView(String workflowId, List<io.flowraft.coordinator.engine.state.HistoryEntry> history) {
        List<HistoryEntry> entries = new ArrayList<>(history.size());
        for (var entry : history) {
            String leaseId = entry.fencingToken() == 0 || entry.taskId() == null ? null
                    : new LeaseId(workflowId, entry.taskId(), entry.fencingToken()).toString();
            entries.add(new HistoryEntry(entry.index(), Times.instant(entry.at()), kind(entry.kind()), entry.taskId(),
                    entry.attempt() == 0 ? null : entry.attempt(), leaseId, entry.detail()));
        }
        return new WorkflowHistory(workflowId, entries);
    }

    /**
     * The wire name of a transition: an event name in the past tense. Written out rather than derived from the
     * enum, so renaming a constant cannot change the API, and a new kind does not compile until it is named.
     */
    static String kind(HistoryKind kind) {
        return switch (kind) {
            case WORKFLOW_SUBMITTED -> "WorkflowSubmitted";
            case TASK_READY -> "TaskReadied";
            case TASK_SKIPPED -> "TaskSkipped";
            case TASK_LEASED -> "LeaseGranted";
            case TASK_COMPLETED -> "TaskCompleted";
            case TASK_RETRY_SCHEDULED -> "TaskRetryScheduled";
            case TASK_FAILED -> "TaskFailed";
            case LEASE_EXPIRED -> "LeaseExpired";
            case TASK_CANCELLED -> "TaskCancelled";
            case WORKFLOW_COMPLETED -> "WorkflowCompleted";
            case WORKFLOW_FAILED -> "WorkflowFailed";
            case WORKFLOW_CANCELLED -> "WorkflowCancelled";
        };
    }
}
