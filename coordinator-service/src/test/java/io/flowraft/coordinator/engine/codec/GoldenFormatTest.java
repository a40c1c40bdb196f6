package io.flowraft.coordinator.engine.codec;

import static org.assertj.core.api.Assertions.assertThat;

import io.flowraft.coordinator.engine.Engine;
import io.flowraft.coordinator.engine.command.Command;
import io.flowraft.coordinator.engine.state.SnapshotCodec;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The log and snapshot formats are frozen: every released format's golden files (a command log and the
 * snapshot after it, see {@link GoldenFiles}) must decode, replay and load to the recorded state digest with
 * today's code, and today's encoder must write the current format's files byte for byte. A change of encoding,
 * of a frozen code, or of what replaying an old entry means fails here. To release a new format, bump its
 * version, keep decoding the old one, and write its files with {@code -Dflowraft.golden.write=<dir>}.
 */
class GoldenFormatTest {

    /** The format today's code writes. */
    private static final String CURRENT = "v" + SnapshotCodec.FORMAT_VERSION;

    @ParameterizedTest
    @ValueSource(strings = {"v1", "v2", "v3", "v4", "v5"})
    void shouldReplayTheLogAndLoadTheSnapshotOfEveryReleasedFormatToTheRecordedDigest(String format) {
        // given the golden files of a released format
        GoldenFiles golden = GoldenFiles.read(format);
        // when the log is replayed, entry by entry, and the snapshot loaded
        Engine replayed = replay(golden.log());
        Engine restored = Engine.restore(golden.snapshot());
        // then both are the recorded state
        assertThat(replayed.state().lastAppliedIndex()).isEqualTo(Long.parseLong(golden.expected().getProperty("lastIndex")));
        assertThat(replayed.digest()).isEqualTo(golden.expected().getProperty("digest"));
        assertThat(restored.digest()).isEqualTo(replayed.digest());
        assertThat(restored.state().lastAppliedIndex()).isEqualTo(replayed.state().lastAppliedIndex());
        assertThat(restored.state().heldBytes()).isEqualTo(replayed.state().heldBytes());
    }

    @Test
    void shouldWriteTheCurrentFormatByteForByte() {
        GoldenFiles golden = GoldenFiles.read(CURRENT);
        GoldenFiles written = write();
        assertThat(written.log()).hasSameSizeAs(golden.log());
        for (int i = 0; i < golden.log().size(); i++) {
            assertThat(written.log().get(i).data()).as("entry %d", golden.log().get(i).index())
                    .isEqualTo(golden.log().get(i).data());
        }
        assertThat(written.snapshot()).isEqualTo(golden.snapshot());
    }

    @Test
    void shouldCoverEveryCommandKindInTheCurrentFormat() {
        List<String> kinds = GoldenFiles.read(CURRENT).log().stream()
                .flatMap(entry -> EntryCodec.decode(ByteBuffer.wrap(entry.data())).stream())
                .map(command -> command.getClass().getSimpleName()).distinct().toList();
        assertThat(kinds).containsExactlyInAnyOrder("ConfigureEngine", "RegisterDefinition", "SubmitWorkflow",
                "LeaseTasks", "CompleteTask", "FailTask", "Heartbeat", "ExpireLeases", "CancelWorkflow", "AcknowledgeExport",
                "ApplyRetention", "ConfigureTaskType");
    }

    @Test
    void shouldEndTheCurrentStoryWithEverythingFinishedEvictedTheKeyExpiredAndTwoTracedSubmits() {
        Engine restored = Engine.restore(GoldenFiles.read(CURRENT).snapshot());
        assertThat(restored.state().clusterId()).isEqualTo("golden-cluster");
        assertThat(restored.state().workflows()).containsOnlyKeys("wf-traced", "wf-bad-trace");
        assertThat(restored.state().workflow("wf-traced").traceParent()).isEqualTo(GoldenScenario.TRACED);
        assertThat(restored.state().workflow("wf-bad-trace").traceParent()).isNull();
        assertThat(restored.state().evictedKey("key-1")).isNull();
        assertThat(restored.state().exportedThrough()).isPositive();
        assertThat(restored.state().definitions()).containsOnlyKeys("orders", "single");
        assertThat(restored.state().taskTypes()).containsOnlyKeys("stock");
        assertThat(restored.state().taskType("stock").rateLimit().milliPerSecond()).isEqualTo(1_000);
    }

    /** Run once per released format: {@code -Dflowraft.golden.write=src/test/resources/golden/v<N>}. */
    @Test
    @EnabledIfSystemProperty(named = "flowraft.golden.write", matches = ".+")
    void writeTheGoldenFilesOfTheCurrentFormat() throws IOException {
        write().write(Path.of(System.getProperty("flowraft.golden.write")));
    }

    private static GoldenFiles write() {
        List<List<Command>> entries = GoldenScenario.entries();
        Engine engine = new Engine();
        long index = 0;
        for (List<Command> batch : entries) {
            index++;
            for (Command command : batch) {
                engine.apply(index, command);
            }
        }
        GoldenFiles files = GoldenFiles.of(entries, engine.snapshot());
        files.expected().setProperty("lastIndex", Long.toString(index));
        files.expected().setProperty("digest", engine.digest());
        return files;
    }

    private static Engine replay(List<GoldenFiles.Entry> log) {
        Engine engine = new Engine();
        for (GoldenFiles.Entry entry : log) {
            for (Command command : EntryCodec.decode(ByteBuffer.wrap(entry.data()))) {
                engine.apply(entry.index(), command);
            }
        }
        return engine;
    }
}
