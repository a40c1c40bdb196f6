package io.flowraft.contracts;

import java.util.List;

/**
 * Body of {@code GET /api/v1/workflows/{id}/history}: the workflow's committed transitions in log order.
 *
 * @param workflowId the workflow
 * @param entries its transitions, oldest first; never {@code null}
 */
public record WorkflowHistory(String workflowId, List<HistoryEntry> entries) {

    public WorkflowHistory {
        entries = Copies.orEmpty(entries);
    }
}
