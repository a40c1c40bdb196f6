package io.flowraft.coordinator.raft;

/**
 * A request one coordinator forwards to the leader, as bolt carries it: the frame {@link ForwardCodec} made, as
 * opaque bytes. {@link ForwardSerializer} puts them on the wire and takes them off it as they are, so no
 * serializer ever builds an object from what arrives on the Raft port; the frame is authenticated before anything
 * of it is read.
 */
final class ForwardRequest {

    private final byte[] frame;

    ForwardRequest(byte[] frame) {
        this.frame = frame;
    }

    byte[] frame() {
        return frame;
    }
}
