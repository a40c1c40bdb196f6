package io.flowraft.coordinator.engine.codec;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.List;

/** Appends big-endian primitives and length-prefixed UTF-8 strings to a growing byte array. */
public final class BinaryWriter {

    private byte[] buffer;
    private int size;

    public BinaryWriter() {
        this(256);
    }

    public BinaryWriter(int initialCapacity) {
        buffer = new byte[Math.max(16, initialCapacity)];
    }

    private void ensure(int extra) {
        if (size + extra > buffer.length) {
            buffer = Arrays.copyOf(buffer, Math.max(buffer.length * 2, size + extra));
        }
    }

    public BinaryWriter writeByte(int b) {
        ensure(1);
        buffer[size++] = (byte) b;
        return this;
    }

    public BinaryWriter writeBoolean(boolean b) {
        return writeByte(b ? 1 : 0);
    }

    public BinaryWriter writeInt(int v) {
        ensure(4);
        buffer[size++] = (byte) (v >>> 24);
        buffer[size++] = (byte) (v >>> 16);
        buffer[size++] = (byte) (v >>> 8);
        buffer[size++] = (byte) v;
        return this;
    }

    public BinaryWriter writeLong(long v) {
        writeInt((int) (v >>> 32));
        return writeInt((int) v);
    }

    public BinaryWriter writeDouble(double v) {
        return writeLong(Double.doubleToLongBits(v));
    }

    /** A string as its UTF-8 length and bytes; null is written as length -1. */
    public BinaryWriter writeString(String s) {
        if (s == null) {
            return writeInt(-1);
        }
        byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
        writeInt(bytes.length);
        ensure(bytes.length);
        System.arraycopy(bytes, 0, buffer, size, bytes.length);
        size += bytes.length;
        return this;
    }

    public BinaryWriter writeStrings(List<String> strings) {
        if (strings == null) {
            return writeInt(-1);
        }
        writeInt(strings.size());
        for (String s : strings) {
            writeString(s);
        }
        return this;
    }

    public int size() {
        return size;
    }

    /** Forgets what was written, keeping the buffer: for encoding many small records one after another. */
    public BinaryWriter reset() {
        size = 0;
        return this;
    }

    /** Feeds what was written to {@code digest}, without copying it. */
    public void digestInto(MessageDigest digest) {
        digest.update(buffer, 0, size);
    }

    public byte[] toByteArray() {
        return Arrays.copyOf(buffer, size);
    }
}
