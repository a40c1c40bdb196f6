package io.flowraft.coordinator.engine.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.flowraft.coordinator.engine.command.CompleteTask;
import io.flowraft.coordinator.engine.state.SnapshotCodec;
import java.util.Random;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/**
 * Corrupt log entries and snapshots fail with a CodecException, never with anything the Raft layer cannot
 * expect. Seeded: a failure names its seed and case.
 */
class CommandCodecFuzzTest {

    private static final long SEED = 7_411L;

    private static void assertDecodesOrRejects(byte[] bytes, Consumer<byte[]> decoder, String what) {
        Throwable thrown = catchThrowable(() -> decoder.accept(bytes));
        assertThat(thrown).as(what).satisfiesAnyOf(t -> assertThat(t).isNull(),
                t -> assertThat(t).isInstanceOf(CodecException.class));
    }

    @Test
    void randomBytesAreRejectedCleanly() {
        Random random = new Random(SEED);
        for (int i = 0; i < 5_000; i++) {
            byte[] bytes = new byte[random.nextInt(65)];
            random.nextBytes(bytes);
            if (bytes.length > 1 && random.nextBoolean()) {
                bytes[0] = CommandCodec.FORMAT_VERSION; // get past the version check, into the fields
                bytes[1] = (byte) (1 + random.nextInt(8));
            }
            assertDecodesOrRejects(bytes, CommandCodec::decode, "seed " + SEED + " case " + i);
        }
    }

    @Test
    void flippedBytesOfAValidCommandAreRejectedOrDecode() {
        Random random = new Random(SEED + 1);
        byte[] valid = CommandCodec.encode(new CompleteTask(1L, "wf-1.a.7", "{\"ok\":true}"));
        for (int i = 0; i < 5_000; i++) {
            byte[] bytes = valid.clone();
            bytes[random.nextInt(bytes.length)] = (byte) random.nextInt(256);
            assertDecodesOrRejects(bytes, CommandCodec::decode, "seed " + (SEED + 1) + " case " + i);
        }
    }

    @Test
    void randomSnapshotsAreRejectedCleanly() {
        Random random = new Random(SEED + 2);
        for (int i = 0; i < 3_000; i++) {
            byte[] bytes = new byte[8 + random.nextInt(97)];
            random.nextBytes(bytes);
            bytes[0] = 0x46;
            bytes[1] = 0x52;
            bytes[2] = 0x53;
            bytes[3] = 0x31;
            bytes[4] = 0;
            bytes[5] = 0;
            bytes[6] = 0;
            bytes[7] = 1;
            assertDecodesOrRejects(bytes, SnapshotCodec::decode, "seed " + (SEED + 2) + " case " + i);
        }
    }
}
