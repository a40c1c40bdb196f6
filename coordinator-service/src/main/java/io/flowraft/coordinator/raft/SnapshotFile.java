package io.flowraft.coordinator.raft;

import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.zip.CRC32C;

/**
 * The engine's snapshot on disk, one file in each SOFAJRaft snapshot directory: a header (magic, format
 * version, payload length, CRC32C of the payload), then the engine's snapshot bytes unchanged. SOFAJRaft
 * checks none of this, and a snapshot that reads back wrong would silently become this replica's state, so a
 * damaged file is refused with what to do about it.
 *
 * <p>Magic and version stay at the start in every future format, so that an older node can tell a newer
 * format from damage.
 */
final class SnapshotFile {

    static final String NAME = "engine.snapshot";
    static final int FORMAT_VERSION = 1;
    private static final int MAGIC = 0x46525346; // "FRSF"
    private static final int HEADER_BYTES = Integer.BYTES + Integer.BYTES + Long.BYTES + Integer.BYTES;

    /** A snapshot file that cannot be used; its message says what is wrong and what the operator should do. */
    static final class UnusableSnapshotException extends IOException {
        UnusableSnapshotException(String message) {
            super(message);
        }
    }

    private final Path dataDir;

    /** @param dataDir this node's {@code flowraft.raft.data-dir}, named in what to do about a damaged file */
    SnapshotFile(Path dataDir) {
        this.dataDir = dataDir.toAbsolutePath();
    }

    /**
     * Writes {@code payload} as {@code dir/engine.snapshot} and makes it durable: the file and then the directory
     * entry that names it are forced to disk, so a crash right after SOFAJRaft records the snapshot cannot
     * leave it naming a missing or partial file. Returns the file's size.
     */
    long write(Path dir, byte[] payload) throws IOException {
        ByteBuffer header = ByteBuffer.allocate(HEADER_BYTES)
                .putInt(MAGIC).putInt(FORMAT_VERSION).putLong(payload.length).putInt(crc(payload))
                .flip();
        ByteBuffer[] buffers = {header, ByteBuffer.wrap(payload)};
        try (FileChannel file = FileChannel.open(dir.resolve(NAME), StandardOpenOption.CREATE,
                StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE)) {
            while (header.hasRemaining() || buffers[1].hasRemaining()) {
                file.write(buffers);
            }
            file.force(true);
        }
        // Linux lets a directory be opened for reading and forced; that is what persists the new entry.
        try (FileChannel directory = FileChannel.open(dir, StandardOpenOption.READ)) {
            directory.force(true);
        }
        return HEADER_BYTES + (long) payload.length;
    }

    /** The payload of {@code dir/engine.snapshot}, once its header and checksum prove it is what was written. */
    byte[] read(Path dir) throws IOException {
        Path path = dir.resolve(NAME);
        try (FileChannel file = FileChannel.open(path, StandardOpenOption.READ)) {
            long size = file.size();
            if (size < HEADER_BYTES) {
                throw damaged(path, "it is truncated: " + size + " bytes, shorter than its " + HEADER_BYTES
                        + "-byte header");
            }
            ByteBuffer header = readFully(file, HEADER_BYTES);
            int magic = header.getInt();
            if (magic != MAGIC) {
                throw damaged(path, String.format("it does not start with the snapshot file marker (0x%08x, found "
                        + "0x%08x): its start is damaged, or it is not a FlowRaft snapshot file", MAGIC, magic));
            }
            int version = header.getInt();
            if (version > FORMAT_VERSION) {
                throw new UnusableSnapshotException("Snapshot file " + path + " is in format version " + version
                        + ", newer than this node reads (up to " + FORMAT_VERSION + "): upgrade this node to the "
                        + "FlowRaft version the other coordinators run. If they all run this node's version, the "
                        + "file is damaged instead: " + remedy());
            }
            if (version < 1) {
                throw damaged(path, "its format version " + version + " does not exist");
            }
            long length = header.getLong();
            int checksum = header.getInt();
            long actual = size - HEADER_BYTES;
            if (actual < length) {
                throw damaged(path, "it is truncated: its header announces " + length + " payload bytes, "
                        + "the file holds " + actual);
            }
            if (actual > length) {
                throw damaged(path, "it holds " + (actual - length) + " bytes after the " + length
                        + " payload bytes its header announces");
            }
            if (length > Integer.MAX_VALUE - 8) {
                throw damaged(path, "its header announces " + length + " payload bytes, more than a snapshot holds");
            }
            byte[] payload = readFully(file, (int) length).array();
            int computed = crc(payload);
            if (computed != checksum) {
                throw damaged(path, String.format("its checksum does not match (CRC32C stored 0x%08x, computed "
                        + "0x%08x): some of its bytes changed after it was written", checksum, computed));
            }
            return payload;
        }
    }

    /**
     * Why {@code file} cannot be used, and what to do: a replica rebuilds its state from the others, so the
     * damaged copy is thrown away.
     */
    String unusable(Path file, String why) {
        return "Snapshot file " + file + " cannot be loaded: " + why + ". " + remedy();
    }

    private UnusableSnapshotException damaged(Path file, String why) {
        return new UnusableSnapshotException(unusable(file, why));
    }

    private String remedy() {
        return "While a majority of the other coordinators is up and serving, stop this node, wipe its data dir "
                + "(flowraft.raft.data-dir = " + dataDir + ") and start it again: it will install a snapshot from "
                + "the leader. If this node was running and had just received this snapshot from the leader, the "
                + "leader's copy is damaged: first move leadership to another coordinator (POST "
                + "/api/v1/cluster/leader).";
    }

    private static ByteBuffer readFully(FileChannel file, int bytes) throws IOException {
        ByteBuffer buffer = ByteBuffer.allocate(bytes);
        while (buffer.hasRemaining()) {
            if (file.read(buffer) < 0) {
                throw new EOFException("File ended while reading it");
            }
        }
        return buffer.flip();
    }

    private static int crc(byte[] bytes) {
        CRC32C crc = new CRC32C();
        crc.update(bytes);
        return (int) crc.getValue();
    }
}
