package io.flowraft.coordinator.raft;

/** The leader's answer to a {@link ForwardRequest}, as bolt carries it: a {@link ForwardCodec} frame, opaque. */
final class ForwardResponse {

    private final byte[] frame;

    ForwardResponse(byte[] frame) {
        this.frame = frame;
    }

    byte[] frame() {
        return frame;
    }
}
