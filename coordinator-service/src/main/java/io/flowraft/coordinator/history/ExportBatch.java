package io.flowraft.coordinator.history;

import java.util.List;

/**
 * Everything the replicated state changed in workflows between two export positions, captured on the leader
 * at applied index {@code throughIndex}: each changed workflow as it stands then, with its history lines of the
 * range.
 *
 * @param afterIndex   the export position this batch starts after (lines at or below it were exported before)
 * @param throughIndex the applied index the batch was captured at: once written, the export position moves here
 */
public record ExportBatch(long afterIndex, long throughIndex, List<ExportedWorkflow> workflows) {

    public ExportBatch {
        workflows = List.copyOf(workflows);
    }
}
