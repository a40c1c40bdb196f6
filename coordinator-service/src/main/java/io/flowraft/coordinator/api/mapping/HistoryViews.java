package io.flowraft.coordinator.api.mapping;

import io.flowraft.contracts.HistoryEntry;
import io.flowraft.contracts.WorkflowHistory;
import io.flowraft.coordinator.engine.model.LeaseId;
import io.flowraft.coordinator.history.ExportedHistoryLine;
import java.util.ArrayList;
import java.util.List;

/**
 * Maps a workflow's committed history to the wire. Entries are immutable, so only the list is copied under the lock.
 * Lease ids are shown to admins only (see {@link WorkflowViews}).
 */
public final class HistoryViews {

    private HistoryViews() {
    }

    /** @param withLeaseIds whether the caller may see lease ids (an admin) */
    public static WorkflowHistory toView(String workflowId, List<io.flowraft.coordinator.engine.state.HistoryEntry> history,
            boolean withLeaseIds) {
        List<HistoryEntry> entries = new ArrayList<>(history.size());
        for (var entry : history) {
            String leaseId = !withLeaseIds || entry.fencingToken() == 0 || entry.taskId() == null ? null
                    : new LeaseId(workflowId, entry.taskId(), entry.fencingToken()).toString();
            entries.add(new HistoryEntry(entry.index(), Times.instant(entry.at()), entry.kind().wireName(), entry.taskId(),
                    entry.attempt() == 0 ? null : entry.attempt(), leaseId, entry.detail()));
        }
        return new WorkflowHistory(workflowId, entries);
    }

    /** History lines read back from PostgreSQL, in log order. */
    public static WorkflowHistory fromHistory(String workflowId, List<ExportedHistoryLine> lines, boolean withLeaseIds) {
        List<HistoryEntry> entries = new ArrayList<>(lines.size());
        for (ExportedHistoryLine line : lines) {
            String leaseId = !withLeaseIds || line.fencingToken() == 0 || line.taskId() == null ? null
                    : new LeaseId(workflowId, line.taskId(), line.fencingToken()).toString();
            entries.add(new HistoryEntry(line.logIndex(), Times.instant(line.at()), line.kind(),
                    line.taskId(), line.attempt() == 0 ? null : line.attempt(), leaseId, line.detail()));
        }
        return new WorkflowHistory(workflowId, entries);
    }
}
