package io.flowraft.coordinator.raft;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SnapshotFileTest {

    private static final byte[] PAYLOAD = "the engine's snapshot, exactly as it encoded it".getBytes(StandardCharsets.UTF_8);
    private static final int VERSION_OFFSET = 4;

    @TempDir
    Path dataDir;

    private Path dir;
    private SnapshotFile snapshots;

    @BeforeEach
    void setUp() throws IOException {
        dir = Files.createDirectories(dataDir.resolve("snapshot").resolve("snapshot_42"));
        snapshots = new SnapshotFile(dataDir);
    }

    private Path file() {
        return dir.resolve(SnapshotFile.NAME);
    }

    private void damage(UnaryOperator<byte[]> change) throws IOException {
        Files.write(file(), change.apply(Files.readAllBytes(file())));
    }

    @Test
    void shouldReadBackWhatItWrote() throws IOException {
        long size = snapshots.write(dir, PAYLOAD);

        assertThat(snapshots.read(dir)).isEqualTo(PAYLOAD);
        assertThat(Files.size(file())).isEqualTo(size).isGreaterThan(PAYLOAD.length);
    }

    @Test
    void shouldReadBackAnEmptyPayload() throws IOException {
        snapshots.write(dir, new byte[0]);

        assertThat(snapshots.read(dir)).isEmpty();
    }

    @Test
    void shouldReplaceAnOlderFile() throws IOException {
        snapshots.write(dir, new byte[10_000]);
        snapshots.write(dir, PAYLOAD);

        assertThat(snapshots.read(dir)).isEqualTo(PAYLOAD);
    }

    @Test
    void shouldRefuseAFlippedBitSayingWhatToDo() throws IOException {
        snapshots.write(dir, PAYLOAD);
        damage(bytes -> {
            bytes[bytes.length - 5] ^= 0x01;
            return bytes;
        });

        assertThatThrownBy(() -> snapshots.read(dir)).isInstanceOf(SnapshotFile.UnusableSnapshotException.class)
                .hasMessageContaining(file().toString())
                .hasMessageContaining("checksum does not match")
                .hasMessageContaining("wipe its data dir (flowraft.raft.data-dir = " + dataDir.toAbsolutePath() + ")")
                .hasMessageContaining("install a snapshot from the leader");
    }

    @Test
    void shouldRefuseATruncatedPayload() throws IOException {
        snapshots.write(dir, PAYLOAD);
        damage(bytes -> Arrays.copyOf(bytes, bytes.length - 1));

        assertThatThrownBy(() -> snapshots.read(dir)).isInstanceOf(SnapshotFile.UnusableSnapshotException.class)
                .hasMessageContaining("truncated")
                .hasMessageContaining("announces " + PAYLOAD.length + " payload bytes, the file holds " + (PAYLOAD.length - 1))
                .hasMessageContaining("wipe");
    }

    @Test
    void shouldRefuseATruncatedHeader() throws IOException {
        snapshots.write(dir, PAYLOAD);
        damage(bytes -> Arrays.copyOf(bytes, 7));

        assertThatThrownBy(() -> snapshots.read(dir)).isInstanceOf(SnapshotFile.UnusableSnapshotException.class)
                .hasMessageContaining("truncated: 7 bytes, shorter than its")
                .hasMessageContaining("wipe");
    }

    @Test
    void shouldRefuseBytesAfterThePayload() throws IOException {
        snapshots.write(dir, PAYLOAD);
        damage(bytes -> Arrays.copyOf(bytes, bytes.length + 3));

        assertThatThrownBy(() -> snapshots.read(dir)).isInstanceOf(SnapshotFile.UnusableSnapshotException.class)
                .hasMessageContaining("3 bytes after the " + PAYLOAD.length + " payload bytes");
    }

    @Test
    void shouldRefuseAFileWithTheWrongMagic() throws IOException {
        Files.write(file(), PAYLOAD); // as the format before this one wrote it: the bare engine snapshot

        assertThatThrownBy(() -> snapshots.read(dir)).isInstanceOf(SnapshotFile.UnusableSnapshotException.class)
                .hasMessageContaining("does not start with the snapshot file marker")
                .hasMessageContaining("wipe");
    }

    private void writeWithVersion(int version) throws IOException {
        snapshots.write(dir, PAYLOAD);
        damage(bytes -> {
            ByteBuffer.wrap(bytes).putInt(VERSION_OFFSET, version);
            return bytes;
        });
    }

    @Test
    void shouldAskForAnUpgradeOnAFutureFormatVersion() throws IOException {
        writeWithVersion(SnapshotFile.FORMAT_VERSION + 1);

        assertThatThrownBy(() -> snapshots.read(dir)).isInstanceOf(SnapshotFile.UnusableSnapshotException.class)
                .hasMessageContaining("format version " + (SnapshotFile.FORMAT_VERSION + 1))
                .hasMessageContaining("upgrade this node");
    }

    @Test
    void shouldRefuseAFormatVersionThatNeverExisted() throws IOException {
        writeWithVersion(0);

        assertThatThrownBy(() -> snapshots.read(dir)).isInstanceOf(SnapshotFile.UnusableSnapshotException.class)
                .hasMessageContaining("format version 0 does not exist")
                .hasMessageContaining("wipe");
    }
}
