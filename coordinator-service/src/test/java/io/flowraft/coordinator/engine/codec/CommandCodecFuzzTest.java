package io.flowraft.coordinator.engine.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.flowraft.coordinator.engine.command.CompleteTask;
import io.flowraft.coordinator.engine.state.SnapshotCodec;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.Size;

/** Corrupt log entries and snapshots fail with a CodecException, never with anything the Raft layer cannot expect. */
class CommandCodecFuzzTest {

    @Property(tries = 2_000)
    void randomBytesAreRejectedCleanly(@ForAll @Size(max = 64) byte[] bytes) {
        Throwable thrown = catchThrowable(() -> CommandCodec.decode(bytes));
        assertThat(thrown).satisfiesAnyOf(t -> assertThat(t).isNull(), t -> assertThat(t).isInstanceOf(CodecException.class));
    }

    @Property(tries = 1_000)
    void flippedBytesOfAValidCommandAreRejectedOrDecode(@ForAll int position, @ForAll byte value) {
        byte[] bytes = CommandCodec.encode(new CompleteTask(1L, "wf-1.a.7", "{\"ok\":true}"));
        bytes[Math.floorMod(position, bytes.length)] = value;
        Throwable thrown = catchThrowable(() -> CommandCodec.decode(bytes));
        assertThat(thrown).satisfiesAnyOf(t -> assertThat(t).isNull(), t -> assertThat(t).isInstanceOf(CodecException.class));
    }

    @Property(tries = 500)
    void randomSnapshotsAreRejectedCleanly(@ForAll @Size(max = 96) byte[] bytes) {
        byte[] withMagic = new byte[bytes.length + 8];
        withMagic[0] = 0x46;
        withMagic[1] = 0x52;
        withMagic[2] = 0x53;
        withMagic[3] = 0x31;
        withMagic[7] = 1;
        System.arraycopy(bytes, 0, withMagic, 8, bytes.length);
        Throwable thrown = catchThrowable(() -> SnapshotCodec.decode(withMagic));
        assertThat(thrown).satisfiesAnyOf(t -> assertThat(t).isNull(), t -> assertThat(t).isInstanceOf(CodecException.class));
    }
}
