package io.flowraft.coordinator.engine.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.flowraft.coordinator.engine.command.LeaseTasks;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * How {@link LeaseTasks} is written: a poll that prefers workflows (the {@code next} poll of a report exchange)
 * under tag 20, every other poll under the tag it had before preferences existed, byte for byte, so that logs of
 * older versions replay, and older nodes keep reading what a plain poll writes.
 */
class CommandCodecLeaseTasksTest {

    private static final long NOW = 1_700_000_000_000L;
    private static final int LEASE_TASKS = 3;
    private static final int LEASE_TASKS_BY_POLLER = 9;
    private static final int LEASE_TASKS_BY_PRINCIPAL = 14;
    private static final int LEASE_TASKS_PREFERRING = 20;

    private static int tag(byte[] encoded) {
        return encoded[1];
    }

    @Test
    void shouldRoundTripAPollThatPrefersWorkflowsUnderItsOwnTag() {
        LeaseTasks poll = new LeaseTasks(NOW, "w1", "report-0", List.of("payment", "shipping"), 2, 5_000, "exchange-1",
                "alice", List.of("wf-2", "wf-1"));
        byte[] encoded = CommandCodec.encode(poll);
        assertThat(tag(encoded)).isEqualTo(LEASE_TASKS_PREFERRING);
        LeaseTasks decoded = (LeaseTasks) CommandCodec.decode(encoded);
        assertThat(decoded).isEqualTo(poll);
        assertThat(decoded.preferWorkflows()).containsExactly("wf-2", "wf-1");
    }

    @Test
    void shouldRoundTripAPreferringPollWithoutPollerPrincipalOrPollId() {
        LeaseTasks poll = new LeaseTasks(NOW, "w1", null, List.of("work"), 1, 30_000, null, null, List.of("wf-1"));
        byte[] encoded = CommandCodec.encode(poll);
        assertThat(tag(encoded)).isEqualTo(LEASE_TASKS_PREFERRING);
        assertThat(CommandCodec.decode(encoded)).isEqualTo(poll);
    }

    @Test
    void shouldWriteAPollThatPrefersNothingUnderItsOlderTagByteForByte() {
        // given the same polls with no preference, written the old way and with an empty or null list
        LeaseTasks plain = new LeaseTasks(NOW, "w1", List.of("work"), 1, 30_000, "p-1");
        LeaseTasks byPoller = new LeaseTasks(NOW, "w1", "loop-2", List.of("work"), 1, 30_000, "p-1");
        LeaseTasks byPrincipal = new LeaseTasks(NOW, "w1", "loop-2", List.of("work"), 1, 30_000, "p-1", "alice");
        // then each keeps its older tag and bytes, and decodes with no preference
        assertThat(tag(CommandCodec.encode(plain))).isEqualTo(LEASE_TASKS);
        assertThat(tag(CommandCodec.encode(byPoller))).isEqualTo(LEASE_TASKS_BY_POLLER);
        assertThat(tag(CommandCodec.encode(byPrincipal))).isEqualTo(LEASE_TASKS_BY_PRINCIPAL);
        for (LeaseTasks poll : List.of(plain, byPoller, byPrincipal)) {
            assertThat(CommandCodec.encode(poll.preferring(List.of()))).isEqualTo(CommandCodec.encode(poll));
            assertThat(CommandCodec.encode(poll.preferring(null))).isEqualTo(CommandCodec.encode(poll));
            LeaseTasks decoded = (LeaseTasks) CommandCodec.decode(CommandCodec.encode(poll));
            assertThat(decoded).isEqualTo(poll);
            assertThat(decoded.preferWorkflows()).isEmpty();
        }
    }

    @Test
    void shouldDecodeAnOlderPrincipalPollWrittenByHandWithNoPreference() {
        // given tag 14 as versions before preferences wrote it
        byte[] bytes = new BinaryWriter(64).writeByte(CommandCodec.FORMAT_VERSION).writeByte(LEASE_TASKS_BY_PRINCIPAL)
                .writeLong(NOW).writeString("w1").writeString(null).writeStrings(List.of("work")).writeInt(3)
                .writeLong(30_000).writeString("p-1").writeString("alice").toByteArray();
        // when / then
        assertThat(CommandCodec.decode(bytes))
                .isEqualTo(new LeaseTasks(NOW, "w1", null, List.of("work"), 3, 30_000, "p-1", "alice", List.of()));
    }

    @Test
    void shouldRefuseATruncatedPreferringPoll() {
        byte[] encoded = CommandCodec.encode(
                new LeaseTasks(NOW, "w1", null, List.of("work"), 1, 30_000, null, null, List.of("wf-1", "wf-2")));
        for (int length = 2; length < encoded.length; length++) {
            byte[] truncated = Arrays.copyOf(encoded, length);
            assertThatThrownBy(() -> CommandCodec.decode(truncated)).as("%d of %d bytes", length, encoded.length)
                    .isInstanceOf(CodecException.class);
        }
    }

    @Test
    void shouldTreatTheTagAfterTheNewestAsWrittenByANewerVersion() {
        byte[] encoded = CommandCodec.encode(
                new LeaseTasks(NOW, "w1", null, List.of("work"), 1, 30_000, null, null, List.of("wf-1")));
        encoded[1] = LEASE_TASKS_PREFERRING + 1;
        assertThatThrownBy(() -> CommandCodec.decode(encoded)).isInstanceOf(UnsupportedFormatException.class)
                .hasMessageContaining("command tag " + (LEASE_TASKS_PREFERRING + 1));
    }
}
