package io.flowraft.coordinator.raft;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.alipay.sofa.jraft.core.State;
import io.flowraft.contracts.TriggerRule;
import io.flowraft.coordinator.engine.CommandResult.WorkflowSubmitted;
import io.flowraft.coordinator.engine.command.SubmitWorkflow;
import io.flowraft.coordinator.engine.model.RetryPolicy;
import io.flowraft.coordinator.engine.model.TaskSpec;
import io.flowraft.coordinator.replication.ClusterAdmin.SnapshotTaken;
import io.flowraft.coordinator.replication.SnapshotFailedException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Snapshots on three real SOFAJRaft nodes: a save that fails must neither stop the node nor keep it from the next. */
class SnapshotFailureTest {

    private RaftTestCluster cluster;

    @AfterEach
    void tearDown() {
        if (cluster != null) {
            cluster.close();
        }
    }

    private void submit(int node, String id) {
        TaskSpec task = new TaskSpec("a", "work", List.of(), null, null, TriggerRule.ALL_SUCCESS, RetryPolicy.DEFAULT,
                TaskSpec.DEFAULT_TIMEOUT_MS, null);
        assertThat(cluster.node(node).gateway().submit(new SubmitWorkflow(0, id, null, null, List.of(task), "{}")).join())
                .isEqualTo(new WorkflowSubmitted(id, true));
    }

    private SnapshotTaken snapshot(int node) {
        return cluster.node(node).admin().snapshot().orTimeout(10, TimeUnit.SECONDS).join();
    }

    /** Fails the first snapshot write on a follower, then checks the node and its next snapshot. */
    private void assertASecondSaveSucceedsAfterTheFirstFailedWith(UnaryOperator<Executor> failingOnce) {
        // given a cluster whose follower's first snapshot write will fail (it joins once the others have elected a
        // leader among themselves, so it follows)
        cluster = new RaftTestCluster(3, 300);
        cluster.start(1);
        cluster.start(2);
        int leader = cluster.awaitLeader(Duration.ofSeconds(10));
        int follower = 0;
        cluster.start(follower, failingOnce);
        for (int i = 0; i < 10; i++) {
            submit(leader, "wf-" + i);
        }
        cluster.awaitSameState(Duration.ofSeconds(5));

        // when the follower saves a snapshot and the save fails
        assertThatThrownBy(() -> snapshot(follower)).isInstanceOf(CompletionException.class)
                .hasCauseInstanceOf(SnapshotFailedException.class);

        // then the node is not stopped: it is not in ERROR and goes on applying
        assertThat(cluster.node(follower).node().node().getNodeState()).isNotEqualTo(State.STATE_ERROR);
        submit(leader, "wf-after-failure");
        cluster.awaitSameState(Duration.ofSeconds(5));
        // and its next snapshot is saved
        long applied = cluster.node(follower).admin().status().appliedIndex();
        assertThat(snapshot(follower).index()).isGreaterThanOrEqualTo(applied);
        // and is good: the node restarts from it
        cluster.halt(follower);
        cluster.start(follower);
        await().atMost(Duration.ofSeconds(10))
                .until(() -> cluster.registry(follower).get("flowraft.raft.snapshot.load").timer().count() == 1);
        cluster.awaitSameState(Duration.ofSeconds(10));
    }

    /** Wraps the snapshot writer so that its first {@code execute} throws what {@code fail} throws. */
    private static UnaryOperator<Executor> failingFirstExecute(Runnable fail) {
        AtomicBoolean failed = new AtomicBoolean();
        return executor -> task -> {
            if (!failed.getAndSet(true)) {
                fail.run();
            }
            executor.execute(task);
        };
    }

    @Test
    void shouldSaveTheNextSnapshotAfterTheWriterRejectedOne() {
        // as a shut-down executor does
        assertASecondSaveSucceedsAfterTheFirstFailedWith(failingFirstExecute(() -> {
            throw new RejectedExecutionException("injected: snapshot writer shut down");
        }));
    }

    @Test
    void shouldSaveTheNextSnapshotAfterTheWriterFailedToStartAThread() {
        // as a thread pool does when the process cannot have one more thread
        assertASecondSaveSucceedsAfterTheFirstFailedWith(failingFirstExecute(() -> {
            throw new OutOfMemoryError("injected: unable to create native thread");
        }));
    }

    @Test
    void shouldSaveTheNextSnapshotAfterAWriteFailed() {
        // the first write finds the directory SOFAJRaft made for the snapshot gone, and fails like a disk would
        AtomicBoolean failed = new AtomicBoolean();
        assertASecondSaveSucceedsAfterTheFirstFailedWith(executor -> task -> executor.execute(() -> {
            if (!failed.getAndSet(true)) {
                deleteRecursively(cluster.dataDir(0).resolve("snapshot").resolve("temp"));
            }
            task.run();
        }));
    }

    private static void deleteRecursively(Path path) {
        try (Stream<Path> files = Files.walk(path)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
