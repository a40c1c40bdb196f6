package io.flowraft.coordinator.engine.state;

/**
 * One committed transition of a workflow, in log order.
 *
 * @param index        the Raft log index of the command that caused it
 * @param at           the leader's stamp on that command
 * @param taskId       null for workflow-level transitions
 * @param fencingToken the lease involved, or 0
 * @param detail       error, skip reason or cancel reason; null otherwise
 */
public record HistoryEntry(
        long index, long at, HistoryKind kind, String taskId, int attempt, long fencingToken, String detail) {
}
