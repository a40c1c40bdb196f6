package io.flowraft.coordinator.raft;

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
     * @param leader      the leader's Raft address as this node knows it, or null
     * @param stateDigest SHA-256 of the local state at {@code appliedIndex}
     */
    record ClusterStatus(String nodeId, String leader, long term, List<String> peers, long commitIndex,
            long appliedIndex, String stateDigest) {
    }
}
