package io.flowraft.coordinator.engine.codec;

/** Encoded commands or snapshots that cannot be decoded: corrupt, truncated, or of an unknown version. */
public sealed class CodecException extends RuntimeException permits UnsupportedFormatException {

    public CodecException(String message) {
        super(message);
    }
}
