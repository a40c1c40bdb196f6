package io.flowraft.coordinator.replication;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/** Cluster status and membership. Membership changes run on the leader, one at a time. */
public interface ClusterAdmin {

    ClusterStatus status();

    /**
     * Adds a voter ({@code host:port} of its Raft endpoint); it catches up by log or snapshot install. Adding a
     * member again does nothing.
     *
     * <p>The three membership calls fail with {@link InvalidPeerException} for a peer that is not
     * {@code host:port}, {@link MembershipConflictException} for a change that cannot be made as asked (removing
     * a peer that is not a member, or the last member; leadership to a non-member),
     * {@link MembershipChangeFailedException} for one Raft did not make now (a new peer that did not catch up, a
     * timeout), {@link OverloadedException} while another change is in progress and {@link NoLeaderException}
     * without a leader.
     */
    CompletableFuture<Void> addPeer(String peer);

    /** Removes a voter. Fails as {@link #addPeer} does. */
    CompletableFuture<Void> removePeer(String peer);

    /**
     * Moves leadership to {@code peer}, or to the most up-to-date follower when {@code peer} is null; completes
     * once the transfer has started. Fails as {@link #addPeer} does.
     */
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
