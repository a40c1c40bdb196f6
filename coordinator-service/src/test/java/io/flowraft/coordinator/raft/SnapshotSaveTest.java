package io.flowraft.coordinator.raft;

import static org.assertj.core.api.Assertions.assertThat;

import com.alipay.sofa.jraft.Status;
import com.alipay.sofa.jraft.error.RaftError;
import com.alipay.sofa.jraft.option.RaftOptions;
import com.alipay.sofa.jraft.storage.snapshot.SnapshotWriter;
import com.alipay.sofa.jraft.storage.snapshot.local.LocalSnapshotStorage;
import io.flowraft.coordinator.engine.Engine;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link EngineStateMachine#onSnapshotSave} against SOFAJRaft's own snapshot storage: whatever fails, the
 * closure runs exactly once, and never with EIO, which SOFAJRaft 1.4.1 answers by putting the node in ERROR
 * ({@code SnapshotExecutorImpl.onSnapshotSaveDone}).
 */
class SnapshotSaveTest {

    @TempDir
    Path dataDir;

    private final List<Status> runs = new CopyOnWriteArrayList<>();
    private LocalSnapshotStorage storage;
    private SnapshotWriter writer;

    @BeforeEach
    void openWriter() {
        storage = new LocalSnapshotStorage(dataDir.resolve("snapshot").toString(), null, new RaftOptions());
        assertThat(storage.init(null)).isTrue();
        writer = storage.create();
    }

    @AfterEach
    void closeStorage() {
        storage.shutdown();
    }

    private void save(Executor writes) {
        EngineStateMachine fsm = new EngineStateMachine(Engine::new,
                writes, new SnapshotFile(dataDir), new RaftMetrics(new SimpleMeterRegistry()));
        fsm.onSnapshotSave(writer, runs::add);
    }

    private void assertFailedOnceWithoutStoppingTheNode() {
        assertThat(runs).hasSize(1);
        assertThat(runs.getFirst().isOk()).isFalse();
        assertThat(runs.getFirst().getRaftError()).isNotEqualTo(RaftError.EIO);
    }

    @Test
    void shouldHandTheFileToTheWriter() throws IOException {
        save(Runnable::run);

        assertThat(runs).hasSize(1);
        assertThat(runs.getFirst().isOk()).as(runs.getFirst().toString()).isTrue();
        assertThat(writer.listFiles()).containsExactly(SnapshotFile.NAME);
        assertThat(new SnapshotFile(dataDir).read(Path.of(writer.getPath()))).isNotEmpty();
    }

    @Test
    void shouldFailOnceWhenTheWriterRefusesTheFile() {
        writer.addFile(SnapshotFile.NAME); // SOFAJRaft refuses a file name twice

        save(Runnable::run);

        assertFailedOnceWithoutStoppingTheNode();
    }

    @Test
    void shouldFailOnceWhenTheWriteFails() throws IOException {
        Files.delete(Path.of(writer.getPath()));

        save(Runnable::run);

        assertFailedOnceWithoutStoppingTheNode();
    }

    @Test
    void shouldFailOnceWhenTheExecutorIsShutDown() {
        ExecutorService shutDown = Executors.newSingleThreadExecutor();
        shutDown.shutdown();

        save(shutDown);

        assertFailedOnceWithoutStoppingTheNode();
    }
}
