package io.flowraft.coordinator.engine.codec;

import io.flowraft.coordinator.engine.command.Command;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * One Raft log entry carries a batch of commands, applied in order at the entry's index: batching is what
 * lets one fsync and one round of replication commit many commands. Format: a version byte, a count, then
 * each command as a length-prefixed {@link CommandCodec} encoding.
 */
public final class EntryCodec {

    public static final int FORMAT_VERSION = 1;
    /** Keeps entries in the kilobyte-to-megabyte range; huge entries destabilise replication. */
    public static final int MAX_ENTRY_BYTES = 4 * 1024 * 1024;

    private EntryCodec() {
    }

    public static byte[] encode(List<byte[]> encodedCommands) {
        int size = 5;
        for (byte[] c : encodedCommands) {
            size += 4 + c.length;
        }
        ByteBuffer buffer = ByteBuffer.allocate(size);
        buffer.put((byte) FORMAT_VERSION).putInt(encodedCommands.size());
        for (byte[] c : encodedCommands) {
            buffer.putInt(c.length).put(c);
        }
        return buffer.array();
    }

    /** @throws CodecException for bytes that are not an entry of a known format */
    public static List<Command> decode(ByteBuffer data) {
        byte[] bytes = new byte[data.remaining()];
        data.duplicate().get(bytes);
        BinaryReader in = new BinaryReader(bytes);
        int version = in.readByte();
        if (version != FORMAT_VERSION) {
            throw new UnsupportedFormatException("log entry format", version, FORMAT_VERSION);
        }
        int count = in.readCount(5);
        List<Command> commands = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            commands.add(CommandCodec.decode(in.readBytes(in.readInt())));
        }
        in.expectEnd();
        return commands;
    }

    public static int encodedSize(byte[] command) {
        return 4 + command.length;
    }
}
