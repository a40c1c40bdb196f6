package io.flowraft.coordinator.engine.codec;

/** Encoded commands or snapshots that cannot be decoded: corrupt, truncated, or of an unknown version. */
public final class CodecException extends RuntimeException {

    public CodecException(String message) {
        super(message);
    }
}
