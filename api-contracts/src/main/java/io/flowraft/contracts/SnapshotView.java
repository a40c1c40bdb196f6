package io.flowraft.contracts;

/**
 * Answer to {@code POST /api/v1/cluster/snapshot}: the Raft snapshot the answering node now holds.
 *
 * @param index the last log index the snapshot includes; the log up to it may be truncated
 * @param bytes the size of the snapshot's state file
 * @param durationMs how long taking it took, from the request to the snapshot being saved
 */
public record SnapshotView(long index, long bytes, long durationMs) {
}
