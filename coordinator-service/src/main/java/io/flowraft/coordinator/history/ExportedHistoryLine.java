package io.flowraft.coordinator.history;

/**
 * One committed transition of a workflow. Unique by workflow id and {@code seq} (its position in the
 * workflow's history), which is what makes a line written twice count once.
 *
 * @param logIndex the Raft log index of the command that caused it
 * @param kind     the wire name of its {@code HistoryKind} (as the API answers it: {@code LeaseGranted}, ...)
 * @param taskId   null for workflow-level lines
 * @param at       the leader's stamp, epoch milliseconds
 */
public record ExportedHistoryLine(String workflowId, int seq, long logIndex, String kind, String taskId, int attempt,
        long fencingToken, long at, String detail) {
}
