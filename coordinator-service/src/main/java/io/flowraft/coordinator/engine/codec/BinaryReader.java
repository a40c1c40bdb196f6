package io.flowraft.coordinator.engine.codec;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** Reads what {@link BinaryWriter} wrote; any truncation or bad length fails with {@link CodecException}. */
public final class BinaryReader {

    private final byte[] data;
    private int position;

    public BinaryReader(byte[] data) {
        this.data = data;
    }

    private void need(int n) {
        if (n < 0 || position + n > data.length) {
            throw new CodecException("Truncated data: needed " + n + " bytes at offset " + position + " of " + data.length);
        }
    }

    public int readByte() {
        need(1);
        return data[position++] & 0xFF;
    }

    public boolean readBoolean() {
        int b = readByte();
        if (b > 1) {
            throw new CodecException("Bad boolean " + b + " at offset " + (position - 1));
        }
        return b == 1;
    }

    public int readInt() {
        need(4);
        int v = ((data[position] & 0xFF) << 24) | ((data[position + 1] & 0xFF) << 16)
                | ((data[position + 2] & 0xFF) << 8) | (data[position + 3] & 0xFF);
        position += 4;
        return v;
    }

    public long readLong() {
        return ((long) readInt() << 32) | (readInt() & 0xFFFFFFFFL);
    }

    public double readDouble() {
        return Double.longBitsToDouble(readLong());
    }

    public byte[] readBytes(int length) {
        need(length);
        byte[] bytes = java.util.Arrays.copyOfRange(data, position, position + length);
        position += length;
        return bytes;
    }

    public String readString() {
        int length = readInt();
        if (length == -1) {
            return null;
        }
        need(length);
        String s = new String(data, position, length, StandardCharsets.UTF_8);
        position += length;
        return s;
    }

    public List<String> readStrings() {
        int count = readInt();
        if (count == -1) {
            return null;
        }
        need(count * 4L > Integer.MAX_VALUE ? -1 : count * 4);
        List<String> strings = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            strings.add(readString());
        }
        return strings;
    }

    /** A count of items that follow, each at least {@code minItemBytes} long: guards against absurd allocations. */
    public int readCount(int minItemBytes) {
        int count = readInt();
        need(count < 0 ? -1 : (int) Math.min(Integer.MAX_VALUE, (long) count * minItemBytes));
        return count;
    }

    public boolean hasRemaining() {
        return position < data.length;
    }

    public void expectEnd() {
        if (hasRemaining()) {
            throw new CodecException((data.length - position) + " unexpected trailing bytes");
        }
    }
}
