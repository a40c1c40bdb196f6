package io.flowraft.contracts;

/**
 * Body of {@code POST /api/v1/cluster/peers} (admin). Adding a peer that is already a member does nothing.
 *
 * @param peer the new member's peer id, {@code host:port} of its Raft endpoint; required
 */
public record AddPeerRequest(String peer) {
}
