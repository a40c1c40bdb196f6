package io.flowraft.coordinator.raft;

import java.io.Serializable;

/**
 * A command a follower hands to the leader. Bolt serializes RPC payloads with Hessian, so the payload stays a
 * plain byte array (the command's log encoding) and nothing else crosses the wire.
 */
public final class ForwardRequest implements Serializable {

    private static final long serialVersionUID = 1L;

    private byte[] command;

    public ForwardRequest() {
    }

    ForwardRequest(byte[] command) {
        this.command = command;
    }

    byte[] command() {
        return command;
    }
}
