package io.flowraft.contracts;

/**
 * Body of {@code POST /api/v1/cluster/leader} (admin).
 *
 * @param peer the member to hand leadership to, {@code host:port}; {@code null} lets the leader pick the most
 *     up-to-date follower
 */
public record TransferLeaderRequest(String peer) {
}
