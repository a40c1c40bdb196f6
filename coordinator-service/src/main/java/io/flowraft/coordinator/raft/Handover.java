package io.flowraft.coordinator.raft;

/**
 * What a leadership handover did ({@link RaftNode#handOver}), as {@code GET /actuator/handover} answers it.
 *
 * @param wasLeader  whether this node led (or was already handing leadership over) when asked
 * @param leader     the leader this node knows once the handover ended ({@code host:port}), null if none
 * @param handedOver whether another node leads now
 */
public record Handover(boolean wasLeader, String leader, boolean handedOver) {
}
