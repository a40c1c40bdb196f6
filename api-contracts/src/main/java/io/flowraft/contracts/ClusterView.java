package io.flowraft.contracts;

import java.util.List;

/**
 * Answer to {@code GET /api/v1/cluster}: the answering node's view of its Raft group.
 *
 * @param nodeId the answering node's peer id ({@code host:port})
 * @param leader the leader's peer id as this node knows it; {@code null} during an election
 * @param term the node's current Raft term
 * @param peers every voting member of the current configuration, leader included; never {@code null}
 * @param commitIndex the highest log index known committed
 * @param appliedIndex the highest log index applied to this node's state; at most {@code commitIndex}
 * @param stateDigest a digest of the engine state at {@code appliedIndex}: nodes with the same applied index
 *     must show the same digest
 */
public record ClusterView(String nodeId, String leader, long term, List<String> peers, long commitIndex,
        long appliedIndex, String stateDigest) {

    public ClusterView {
        peers = Copies.orEmpty(peers);
    }
}
