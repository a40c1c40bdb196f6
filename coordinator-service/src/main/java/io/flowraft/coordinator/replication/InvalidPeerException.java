package io.flowraft.coordinator.replication;

/** A peer that is not a Raft peer id ({@code host:port}); nothing was asked of the cluster. */
public final class InvalidPeerException extends IllegalArgumentException {

    public InvalidPeerException(String message) {
        super(message);
    }
}
