package io.flowraft.coordinator.replication;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/** Cluster status and membership. Membership changes run on the leader, one at a time. */
public interface ClusterAdmin {

    ClusterStatus status();

    /** Adds a voter ({@code host:port} of its Raft endpoint); it catches up by log or snapshot install. */
    CompletableFuture<Void> addPeer(String peer);

    CompletableFuture<Void> removePeer(String peer);

    /** Moves leadership to {@code peer}, or to the most up-to-date follower when {@code peer} is null. */
    CompletableFuture<Void> transferLeadership(String peer);

    /**
     * Takes a Raft snapshot of this node's state now, whatever {@code snapshot-log-index-margin} says, and
     * completes once it is saved; if nothing was applied since the last snapshot, that one is the answer.
     * Fails with {@link SnapshotFailedException} when the node is not running or the save fails (one already
     * being saved or installed included).
     */
    CompletableFuture<SnapshotTaken> snapshot();

    /**
     * @param leader      the leader's Raft address as this node knows it, or null
     * @param stateDigest SHA-256 of the local state at {@code appliedIndex}
     */
    record ClusterStatus(String nodeId, String leader, long term, List<String> peers, long commitIndex,
            long appliedIndex, String stateDigest) {
    }

    /**
     * @param index    the last log index the snapshot includes
     * @param bytes    the size of its state file
     * @param duration from the request to the snapshot being saved
     */
    record SnapshotTaken(long index, long bytes, Duration duration) {
    }
}
