package io.flowraft.coordinator.raft;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.alipay.sofa.jraft.core.State;
import com.alipay.sofa.jraft.storage.snapshot.Snapshot;
import io.flowraft.contracts.TriggerRule;
import io.flowraft.coordinator.engine.CommandResult.WorkflowSubmitted;
import io.flowraft.coordinator.engine.command.SubmitWorkflow;
import io.flowraft.coordinator.engine.model.RetryPolicy;
import io.flowraft.coordinator.engine.model.TaskSpec;
import io.flowraft.coordinator.replication.ClusterAdmin.SnapshotTaken;
import io.flowraft.coordinator.replication.ReadConsistency;
import io.flowraft.coordinator.replication.SnapshotFailedException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
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
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.Status;

/**
 * Snapshots on three real SOFAJRaft nodes: a save that fails must neither stop the node nor keep it from the
 * next save, and a snapshot damaged on disk must be refused at restart with what to do about it.
 */
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

    /** Snapshots on a follower, damages the snapshot file, and checks the node refuses it at restart. */
    private void assertRefusedAtRestart(UnaryOperator<byte[]> damage, String what) throws IOException {
        // given a follower with a snapshot on disk
        cluster = new RaftTestCluster(3, 300).startAll();
        int leader = cluster.awaitLeader(Duration.ofSeconds(10));
        int follower = cluster.anyFollower(leader);
        for (int i = 0; i < 10; i++) {
            submit(leader, "wf-" + i);
        }
        cluster.awaitSameState(Duration.ofSeconds(5));
        Path file = snapshotFile(follower, snapshot(follower));

        // when the file is damaged while the node is down
        cluster.halt(follower);
        Files.write(file, damage.apply(Files.readAllBytes(file)));

        // then the node refuses to start, saying what is wrong and what to do about it
        assertThatThrownBy(() -> cluster.start(follower))
                .hasMessageContaining(file.toString())
                .hasMessageContaining(what)
                .hasMessageContaining("wipe")
                .hasMessageContaining(cluster.dataDir(follower).toString());
        // while the other nodes keep serving
        leader = cluster.awaitLeader(Duration.ofSeconds(10));
        submit(leader, "wf-while-down");
        int other = 3 - leader - follower;
        assertThat(cluster.node(other).reader().read(ReadConsistency.LINEARIZABLE, s -> s.workflow("wf-while-down"))
                .join()).isNotNull();

        // and doing what the message says brings the node back: wiped, it installs the leader's snapshot
        cluster.wipe(follower);
        cluster.start(follower);
        cluster.awaitSameState(Duration.ofSeconds(20));
    }

    private Path snapshotFile(int node, SnapshotTaken taken) {
        return cluster.dataDir(node).resolve("snapshot").resolve(Snapshot.JRAFT_SNAPSHOT_PREFIX + taken.index())
                .resolve("engine.snapshot");
    }

    /** Flips a bit that turns workflow id {@code wf-5} into another one: still decodable, into a state that lies. */
    private static byte[] flipABitOfAWorkflowId(byte[] bytes) {
        byte[] id = "wf-5".getBytes(StandardCharsets.UTF_8);
        int at = indexOf(bytes, id);
        assertThat(at).as("the id in the snapshot").isNotNegative();
        byte[] damaged = bytes.clone();
        damaged[at + id.length - 1] ^= 0x01;
        return damaged;
    }

    @Test
    void shouldRefuseASnapshotWithAFlippedBitAtRestart() throws IOException {
        assertRefusedAtRestart(SnapshotFailureTest::flipABitOfAWorkflowId, "checksum");
    }

    private static int indexOf(byte[] bytes, byte[] part) {
        for (int i = 0; i + part.length <= bytes.length; i++) {
            if (Arrays.equals(bytes, i, i + part.length, part, 0, part.length)) {
                return i;
            }
        }
        return -1;
    }

    @Test
    void shouldRefuseATruncatedSnapshotAtRestart() throws IOException {
        assertRefusedAtRestart(bytes -> Arrays.copyOf(bytes, bytes.length - 7), "truncated");
    }

    @Test
    void shouldReportNotLiveWithWhatToDoWhenASnapshotInstalledFromTheLeaderIsDamaged() throws IOException {
        // given a leader whose log no longer reaches back to the start (SOFAJRaft keeps it back to the previous
        // snapshot, so the second one truncates), and whose latest snapshot got damaged on its disk
        cluster = new RaftTestCluster(3, 300).startAll();
        int leader = cluster.awaitLeader(Duration.ofSeconds(10));
        for (int i = 0; i < 10; i++) {
            submit(leader, "wf-" + i);
        }
        snapshot(leader);
        submit(leader, "wf-10");
        Path file = snapshotFile(leader, snapshot(leader));
        Files.write(file, flipABitOfAWorkflowId(Files.readAllBytes(file)));

        // when a follower comes back empty and so must install that snapshot
        int follower = cluster.anyFollower(leader);
        cluster.halt(follower);
        cluster.wipe(follower);
        cluster.start(follower);

        // then it refuses it: SOFAJRaft puts it in ERROR, and its liveness says what is wrong and what to do
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            Health health = cluster.node(follower).liveness().health();
            assertThat(health.getStatus()).isEqualTo(Status.DOWN);
            assertThat(health.getDetails().get("reason").toString()).contains("ERROR", "checksum", "wipe",
                    cluster.dataDir(follower).toString(), "leader's copy is damaged", "move leadership");
        });
        // while the others keep serving
        submit(leader, "wf-after");

        // and doing what it says brings the node back: leadership moves, the node is wiped and catches up
        int other = 3 - leader - follower;
        cluster.node(leader).admin().transferLeadership(cluster.address(other)).join();
        await().atMost(Duration.ofSeconds(10)).until(() -> cluster.leader().orElse(-1) == other);
        cluster.halt(follower);
        cluster.wipe(follower);
        cluster.start(follower);
        cluster.awaitSameState(Duration.ofSeconds(20));
    }

    private static void deleteRecursively(Path path) {
        try (Stream<Path> files = Files.walk(path)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
