package io.flowraft.coordinator.raft;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.flowraft.contracts.TriggerRule;
import io.flowraft.contracts.WorkflowStatus;
import io.flowraft.coordinator.engine.CommandResult.GrantedLease;
import io.flowraft.coordinator.engine.CommandResult.LeasesGranted;
import io.flowraft.coordinator.engine.CommandResult.WorkflowSubmitted;
import io.flowraft.coordinator.engine.CommandResult;
import io.flowraft.coordinator.engine.command.CompleteTask;
import io.flowraft.coordinator.engine.command.LeaseTasks;
import io.flowraft.coordinator.engine.command.SubmitWorkflow;
import io.flowraft.coordinator.engine.model.RetryPolicy;
import io.flowraft.coordinator.engine.model.TaskSpec;
import io.flowraft.coordinator.engine.state.HistoryKind;
import io.flowraft.coordinator.replication.ClusterAdmin;
import io.flowraft.coordinator.replication.Committed;
import io.flowraft.coordinator.replication.RaftUnavailableException;
import io.flowraft.coordinator.replication.ReadConsistency;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The Raft layer on three real SOFAJRaft nodes in one JVM: forwarding, reads, failover, restart, snapshots. */
class RaftReplicationTest {

    private RaftTestCluster cluster;

    @AfterEach
    void tearDown() {
        if (cluster != null) {
            cluster.close();
        }
    }

    private static List<TaskSpec> chain(int length) {
        List<TaskSpec> tasks = new ArrayList<>();
        for (int i = 0; i < length; i++) {
            tasks.add(new TaskSpec("t" + i, "work", i == 0 ? List.of() : List.of("t" + (i - 1)), null, null,
                    TriggerRule.ALL_SUCCESS, RetryPolicy.DEFAULT, TaskSpec.DEFAULT_TIMEOUT_MS, null));
        }
        return tasks;
    }

    private static CommandResult submit(RaftRuntime node, String id) {
        return node.gateway().submit(new SubmitWorkflow(0, id, "key-" + id, null, chain(3), "{}")).join();
    }

    /** Leases and completes tasks through the given node until no workflow is left running. */
    private static void drain(RaftRuntime node) {
        await().atMost(Duration.ofSeconds(30)).until(() -> {
            var result = node.gateway().submit(new LeaseTasks(0, "drainer", List.of("work"), 100, 30_000, null)).join();
            for (GrantedLease lease : ((LeasesGranted) result).leases()) {
                node.gateway().submit(new CompleteTask(0, lease.leaseId(), "{}")).join();
            }
            return node.reader().read(ReadConsistency.LINEARIZABLE, s -> s.workflows().values().stream()
                    .noneMatch(w -> w.status() == WorkflowStatus.RUNNING)).join();
        });
    }

    /** Takes a snapshot on node i now, as an operator would, and waits for it to be saved. */
    private ClusterAdmin.SnapshotTaken takeSnapshot(int i) {
        return cluster.node(i).admin().snapshot().orTimeout(10, TimeUnit.SECONDS).join();
    }

    private void awaitSameDigest(Duration within) {
        cluster.awaitSameState(within);
    }

    @Test
    void shouldCommitThroughAFollowerAndReadLinearizablyOnAnother() {
        // given
        cluster = new RaftTestCluster(3, 300).startAll();
        int leader = cluster.awaitLeader(Duration.ofSeconds(10));
        int follower = cluster.anyFollower(leader);
        int other = 3 - leader - follower;
        // when a follower takes the submit
        CommandResult result = submit(cluster.node(follower), "wf-1");
        // then it was forwarded and committed, and a linearizable read on the third node sees it at once
        assertThat(result).isEqualTo(new WorkflowSubmitted("wf-1", true));
        String status = cluster.node(other).reader()
                .read(ReadConsistency.LINEARIZABLE, s -> s.workflow("wf-1").status().name()).join();
        assertThat(status).isEqualTo("RUNNING");
        // and an idempotent retry through yet another node answers the same workflow
        assertThat(submit(cluster.node(leader), "wf-1")).isEqualTo(new WorkflowSubmitted("wf-1", false));
        awaitSameDigest(Duration.ofSeconds(5));
    }

    @Test
    void shouldReadAWriteBackWhereItWasProposedAndOnTheFollowerThatForwardedIt() {
        // given
        cluster = new RaftTestCluster(3, 300).startAll();
        int leader = cluster.awaitLeader(Duration.ofSeconds(10));
        RaftRuntime follower = cluster.node(cluster.anyFollower(leader));
        long previous = 0;
        for (int i = 0; i < 20; i++) {
            String id = "wf-" + i;
            RaftRuntime via = i % 2 == 0 ? follower : cluster.node(leader);
            // when a write commits, proposed here or forwarded to the leader
            Committed committed = via.gateway().commit(new SubmitWorkflow(0, id, null, null, chain(1), "{}")).join();
            // then it is read back on the same node at the index the leader committed it at
            String status = via.reader().readAfter(committed.index(),
                    s -> s.workflow(id) == null ? "missing" : s.workflow(id).status().name()).join();
            assertThat(committed.result()).isEqualTo(new WorkflowSubmitted(id, true));
            assertThat(committed.index()).isGreaterThan(previous);
            assertThat(status).as("read back on the %s", via == follower ? "follower" : "leader").isEqualTo("RUNNING");
            previous = committed.index();
        }
    }

    @Test
    void shouldFallBackToALinearizableReadWhenTheIndexIsNotAppliedInTime() {
        // given a cluster with a follower
        cluster = new RaftTestCluster(3, 300).startAll();
        int leader = cluster.awaitLeader(Duration.ofSeconds(10));
        RaftRuntime follower = cluster.node(cluster.anyFollower(leader));
        for (int i = 0; i < 10; i++) {
            String id = "wf-" + i;
            // when the leader commits a write (the follower hears of it only with the next heartbeat) and the
            // follower reads at an index it will not reach in time
            Committed committed = cluster.node(leader).gateway()
                    .commit(new SubmitWorkflow(0, id, null, null, chain(1), "{}")).join();
            boolean seen = follower.reader().readAfter(committed.index() + 1_000_000, s -> s.workflow(id) != null).join();

            // then the read is linearizable: it sees the write, however far behind the follower's own state is
            assertThat(seen).isTrue();
        }
    }

    @Test
    void shouldKeepEveryAcknowledgedWorkflowWhenTheLeaderCrashes() {
        // given a workload acknowledged through every node
        cluster = new RaftTestCluster(3, 300).startAll();
        int leader = cluster.awaitLeader(Duration.ofSeconds(10));
        List<String> acknowledged = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            RaftRuntime via = cluster.node(i % 3);
            if (submit(via, "wf-" + i) instanceof WorkflowSubmitted) {
                acknowledged.add("wf-" + i);
            }
        }
        // when the leader crashes
        long crashedAt = System.nanoTime();
        cluster.halt(leader);
        // a new leader must serve (lead, caught up, ready) within twice the election timeout
        int newLeader = cluster.awaitLeader(Duration.ofMillis(2L * RaftTestCluster.ELECTION_TIMEOUT_MS));
        long failoverMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - crashedAt);
        // then a new leader serves, every acknowledged workflow is there, and the work finishes
        assertThat(newLeader).isNotEqualTo(leader);
        System.out.printf("failover: new leader serving %d ms after the crash%n", failoverMs);
        List<String> present = cluster.node(newLeader).reader().read(ReadConsistency.LINEARIZABLE,
                s -> s.workflows().keySet().stream().toList()).join();
        assertThat(present).containsAll(acknowledged);
        drain(cluster.node(newLeader));
        // and no task was completed twice
        long doubles = cluster.node(newLeader).reader().read(ReadConsistency.LINEARIZABLE, s -> s.workflows().values()
                .stream().flatMap(w -> w.history().stream()
                        .filter(h -> h.kind() == HistoryKind.TASK_COMPLETED)
                        .collect(Collectors.groupingBy(h -> w.id() + "/" + h.taskId(), Collectors.counting()))
                        .values().stream())
                .filter(n -> n > 1).count()).join();
        assertThat(doubles).isZero();
        // and the crashed node rejoins and converges
        cluster.start(leader);
        awaitSameDigest(Duration.ofSeconds(15));
    }

    @Test
    void shouldRebuildTheSameStateAfterAFullRestart() {
        // given
        cluster = new RaftTestCluster(3, 300).startAll();
        cluster.awaitLeader(Duration.ofSeconds(10));
        for (int i = 0; i < 10; i++) {
            submit(cluster.node(i % 3), "wf-" + i);
        }
        drain(cluster.node(0));
        awaitSameDigest(Duration.ofSeconds(5));
        var before = cluster.node(0).admin().status();
        // when every node stops and starts again
        for (int i = 0; i < 3; i++) {
            cluster.halt(i);
        }
        cluster.startAll();
        cluster.awaitLeader(Duration.ofSeconds(10));
        // then the state is rebuilt from the log to the same digest
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            for (int i = 0; i < 3; i++) {
                var after = cluster.node(i).admin().status();
                assertThat(after.appliedIndex()).isGreaterThanOrEqualTo(before.appliedIndex());
                assertThat(after.stateDigest()).isEqualTo(before.stateDigest());
            }
        });
    }

    @Test
    void shouldCatchUpAWipedFollowerFromASnapshot() {
        // given a cluster that snapshotted twice after some work: SOFAJRaft keeps the log back to the previous
        // snapshot, so only the second one truncates what came before the first
        cluster = new RaftTestCluster(3, 300).startAll();
        int leader = cluster.awaitLeader(Duration.ofSeconds(10));
        for (int i = 0; i < 20; i++) {
            submit(cluster.node(leader), "wf-" + i);
        }
        for (int i = 0; i < 3; i++) {
            takeSnapshot(i);
        }
        for (int i = 20; i < 23; i++) {
            submit(cluster.node(leader), "wf-" + i);
        }
        for (int i = 0; i < 3; i++) {
            takeSnapshot(i);
        }
        for (int i = 23; i < 25; i++) {
            submit(cluster.node(leader), "wf-" + i);
        }
        // when a follower loses its disk and comes back empty
        int follower = cluster.anyFollower(leader);
        cluster.halt(follower);
        cluster.wipe(follower);
        cluster.start(follower);
        // then it installs the leader's snapshot (the log it would need is gone), replays the rest and reaches the
        // same state
        await().atMost(Duration.ofSeconds(20))
                .until(() -> cluster.registry(follower).get("flowraft.raft.snapshot.load").timer().count() == 1);
        awaitSameDigest(Duration.ofSeconds(20));
        assertThat(cluster.node(follower).reader().read(ReadConsistency.STALE, s -> s.workflows().size()).join())
                .isEqualTo(25);
    }

    @Test
    void shouldMeasureProposedCommandsAndSnapshots() {
        // given commands submitted through the leader and through a follower
        cluster = new RaftTestCluster(3, 300).startAll();
        int leader = cluster.awaitLeader(Duration.ofSeconds(10));
        int follower = cluster.anyFollower(leader);
        var leaderCommands = cluster.registry(leader).get("flowraft.raft.command.bytes").summary();
        long before = leaderCommands.count(); // the leader's ConfigureEngine of the cluster's limits
        for (int i = 0; i < 20; i++) {
            submit(cluster.node(i % 2 == 0 ? leader : follower), "wf-" + i);
        }
        // then each was measured once, where it was proposed: on the leader, also those the follower forwarded
        assertThat(leaderCommands.count() - before).isEqualTo(20);
        assertThat(leaderCommands.totalAmount()).isGreaterThan(20 * 50);
        assertThat(cluster.registry(follower).get("flowraft.raft.command.bytes").summary().count()).isZero();

        // when the follower takes a snapshot
        long applied = cluster.node(follower).admin().status().appliedIndex();
        ClusterAdmin.SnapshotTaken taken = takeSnapshot(follower);
        // then it holds what the follower had applied, and its save was timed and sized
        assertThat(taken.index()).isGreaterThanOrEqualTo(applied);
        assertThat(cluster.registry(follower).get("flowraft.raft.snapshot.save").timer().count()).isEqualTo(1);
        assertThat(cluster.registry(follower).get("flowraft.raft.snapshot.bytes").summary().totalAmount())
                .isEqualTo(taken.bytes()).isPositive();

        // when it restarts, and so loads that snapshot
        cluster.halt(follower);
        cluster.start(follower);
        // then the load was timed
        await().atMost(Duration.ofSeconds(10)).until(
                () -> cluster.registry(follower).get("flowraft.raft.snapshot.load").timer().count() == 1);
        assertThat(cluster.registry(follower).get("flowraft.raft.snapshot.load").timer().totalTime(TimeUnit.NANOSECONDS))
                .isPositive();
    }

    @Test
    void shouldCountAProposalInFlightUntilItIsAnswered() {
        // given a leader whose followers are gone, so nothing it proposes can commit
        cluster = new RaftTestCluster(3, 300).startAll();
        int leader = cluster.awaitLeader(Duration.ofSeconds(10));
        var inFlight = cluster.registry(leader).get("flowraft.raft.proposals.in.flight").gauge();
        assertThat(inFlight.value()).isZero();
        for (int i = 0; i < 3; i++) {
            if (i != leader) {
                cluster.halt(i);
            }
        }

        // when it proposes a command
        CompletableFuture<CommandResult> write = cluster.node(leader).gateway()
                .submit(new SubmitWorkflow(0, "wf-x", null, null, chain(1), "{}"));

        // then the command counts as in flight until it is answered (here: the leader steps down, outcome unknown)
        assertThat(inFlight.value()).isEqualTo(1);
        assertThat(write).failsWithin(Duration.ofSeconds(10));
        await().atMost(Duration.ofSeconds(2)).until(() -> inFlight.value() == 0);
    }

    @Test
    void shouldAnswerNoLeaderWhenTheQuorumIsGone() {
        cluster = new RaftTestCluster(3, 300).startAll();
        int leader = cluster.awaitLeader(Duration.ofSeconds(10));
        int survivor = cluster.anyFollower(leader);
        for (int i = 0; i < 3; i++) {
            if (i != survivor) {
                cluster.halt(i);
            }
        }
        CompletableFuture<CommandResult> write = cluster.node(survivor).gateway()
                .submit(new SubmitWorkflow(0, "wf-x", null, null, chain(1), "{}"));
        assertThat(write).failsWithin(Duration.ofSeconds(10)).withThrowableThat()
                .havingCause().isInstanceOf(RaftUnavailableException.class);
    }
}
