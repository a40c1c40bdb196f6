package io.flowraft.coordinator.raft;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.alipay.sofa.jraft.entity.Task;
import io.flowraft.contracts.ProblemType;
import io.flowraft.coordinator.engine.CommandResult;
import io.flowraft.coordinator.engine.CommandResult.LeasesGranted;
import io.flowraft.coordinator.engine.CommandResult.Rejection;
import io.flowraft.coordinator.engine.CommandResult.WorkflowSubmitted;
import io.flowraft.coordinator.engine.Engine;
import io.flowraft.coordinator.engine.EngineLimits;
import io.flowraft.coordinator.engine.codec.BinaryWriter;
import io.flowraft.coordinator.engine.codec.CommandCodec;
import io.flowraft.coordinator.engine.codec.EntryCodec;
import io.flowraft.coordinator.engine.command.CancelWorkflow;
import io.flowraft.coordinator.engine.command.FailTask;
import io.flowraft.coordinator.engine.command.LeaseTasks;
import io.flowraft.coordinator.engine.command.SubmitWorkflow;
import io.flowraft.coordinator.engine.model.RetryPolicy;
import io.flowraft.coordinator.engine.model.TaskSpec;
import io.flowraft.contracts.TriggerRule;
import java.nio.ByteBuffer;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * No committed entry stops a replica, on real SOFAJRaft nodes: a command whose handler throws is a rejection on
 * every replica, which all stay at the same digest and keep taking work. The one kind of entry that does stop a
 * node, by design, is one written by a newer version (an unknown command tag): applying it some other way would
 * diverge, so every replica goes to ERROR rather than skip it.
 */
class ReplicaSafetyOnRaftTest {

    private RaftTestCluster cluster;

    @AfterEach
    void stop() {
        if (cluster != null) {
            cluster.close();
        }
    }

    private static List<TaskSpec> oneTask(String type, RetryPolicy retry) {
        return List.of(new TaskSpec("a", type, List.of(), null, null, TriggerRule.ALL_SUCCESS, retry, 60_000, null));
    }

    private static CommandResult submit(RaftRuntime node, String id) {
        return node.gateway().submit(new SubmitWorkflow(0, id, null, null, oneTask("work", RetryPolicy.DEFAULT), "{}"))
                .join();
    }

    private void awaitSameDigest() {
        await().atMost(Duration.ofSeconds(20)).until(() -> {
            long distinct = java.util.stream.IntStream.range(0, cluster.size())
                    .mapToObj(i -> cluster.node(i).admin().status())
                    .map(s -> s.appliedIndex() + "/" + s.stateDigest()).distinct().count();
            return distinct == 1;
        });
    }

    @Test
    void shouldAnswerACommandWhoseHandlerThrowsAsARejectionOnEveryReplica() {
        // given replicas whose engine fails (a bug) on one kind of cancel, after writing its events
        cluster = new RaftTestCluster(3, 300).withEngines(() -> new Engine(EngineLimits.DEFAULT,
                dispatch -> (command, state, events) -> {
                    CommandResult result = dispatch.handle(command, state, events);
                    if (command instanceof CancelWorkflow cancel && "boom".equals(cancel.reason())) {
                        throw new IllegalStateException("injected engine bug");
                    }
                    return result;
                })).startAll();
        int leader = cluster.awaitLeader(Duration.ofSeconds(10));
        assertThat(submit(cluster.node(leader), "wf-1")).isInstanceOf(WorkflowSubmitted.class);
        // when that cancel is committed (through a follower, so it crosses the forwarding path too)
        int follower = cluster.anyFollower(leader);
        CommandResult result = cluster.node(follower).gateway().submit(new CancelWorkflow(0, "wf-1", "boom")).join();
        // then it is answered as an internal rejection, and no replica is in ERROR
        assertThat(result).isInstanceOfSatisfying(Rejection.class,
                r -> assertThat(r.type()).isEqualTo(ProblemType.INTERNAL));
        awaitSameDigest();
        for (int i = 0; i < cluster.size(); i++) {
            assertThat(cluster.node(i).fsm().inError()).as("node " + i + " in ERROR").isFalse();
            String status = cluster.node(i).reader().local(s -> s.workflow("wf-1").status().name());
            assertThat(status).isEqualTo("RUNNING");
        }
        // and every replica keeps taking work
        assertThat(submit(cluster.node(follower), "wf-2")).isInstanceOf(WorkflowSubmitted.class);
        assertThat(cluster.node(leader).gateway().submit(new CancelWorkflow(0, "wf-1", "fine")).join())
                .isInstanceOf(CommandResult.WorkflowCancelled.class);
        awaitSameDigest();
    }

    @Test
    void shouldStopEveryReplicaAtAnEntryWrittenByANewerVersion() {
        // given a cluster with some state
        cluster = new RaftTestCluster(3, 300).startAll();
        int leader = cluster.awaitLeader(Duration.ofSeconds(10));
        assertThat(submit(cluster.node(leader), "wf-1")).isInstanceOf(WorkflowSubmitted.class);
        // when an entry holding a command tag this version does not know is committed
        byte[] unknown = new BinaryWriter().writeByte(CommandCodec.FORMAT_VERSION).writeByte(99).writeLong(1L)
                .toByteArray();
        var raftNode = cluster.node(leader).node().node();
        CompletableFuture<Void> proposed = new CompletableFuture<>();
        raftNode.apply(new Task(ByteBuffer.wrap(EntryCodec.encode(List.of(unknown))), status -> proposed.complete(null)));
        // then the leader stops in ERROR at it instead of skipping it, and says to upgrade
        RaftRuntime stopped = cluster.node(leader);
        await().atMost(Duration.ofSeconds(20)).until(() -> stopped.fsm().inError());
        assertThat(stopped.fsm().errorStatus()).contains("command tag 99").contains("Upgrade this node");
        long stoppedAt = stopped.fsm().appliedIndex();
        boolean kept = stopped.fsm().read(s -> s.workflow("wf-1") != null);
        assertThat(kept).isTrue();
        // and no replica applies past it: each that reached it stopped too (the last one may wait, leaderless)
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            for (int i = 0; i < cluster.size(); i++) {
                RaftRuntime replica = cluster.node(i);
                assertThat(replica.fsm().inError() || replica.fsm().appliedIndex() <= stoppedAt)
                        .as("node " + i + " stopped or short of the entry").isTrue();
            }
            long inError = java.util.stream.IntStream.range(0, cluster.size())
                    .filter(i -> cluster.node(i).fsm().inError()).count();
            assertThat(inError).as("replicas that reached the entry").isGreaterThanOrEqualTo(2);
        });
        for (int i = 0; i < cluster.size(); i++) {
            assertThat(cluster.node(i).fsm().appliedIndex()).isLessThanOrEqualTo(stoppedAt);
        }
    }

    @Test
    void shouldNotWakeAFollowersPollsBeforeABackoffEndsByTheLeadersTime() {
        // given a follower whose clock runs 10 s ahead of the leader's
        cluster = new RaftTestCluster(3, 300);
        cluster.startAll();
        int leader = cluster.awaitLeader(Duration.ofSeconds(10));
        int follower = cluster.anyFollower(leader);
        cluster.halt(follower);
        cluster.withClock(follower, Clock.offset(Clock.systemUTC(), Duration.ofSeconds(10))).start(follower);
        RaftRuntime skewed = cluster.node(follower);
        await().atMost(Duration.ofSeconds(10)).until(() -> skewed.readiness().health().getStatus().getCode().equals("UP"));
        // and a task failed once, to be retried after a 5 s backoff
        RaftRuntime leaderNode = cluster.node(leader);
        leaderNode.gateway().submit(new SubmitWorkflow(0, "wf-1", null, null,
                oneTask("slow", new RetryPolicy(3, 5_000, 1.0, 5_000)), "{}")).join();
        LeasesGranted granted = (LeasesGranted) leaderNode.gateway().submit(
                new LeaseTasks(0, "w", List.of("slow"), 1, 30_000, null)).join();
        leaderNode.gateway().submit(new FailTask(0, granted.leases().getFirst().leaseId(), "try again", true)).join();
        await().atMost(Duration.ofSeconds(10)).until(() -> skewed.reader().local(s -> s.nextBackoffEnd()) < Long.MAX_VALUE);
        // when a long poll waits on the follower for a few ticks
        skewed.arrivals().await(List.of("slow"), 1, Duration.ofSeconds(30));
        long wakeupsBefore = skewed.arrivalsRegistry().backoffWakeups();
        long backoffEnd = skewed.reader().local(s -> s.nextBackoffEnd());
        await().atMost(Duration.ofSeconds(10)).until(() -> System.currentTimeMillis() > backoffEnd - 4_000);
        // then the follower has not woken it: by the leader's time the backoff has not ended
        assertThat(skewed.arrivalsRegistry().backoffWakeups()).isEqualTo(wakeupsBefore);
        // and it does wake it once the backoff has ended by the leader's time
        await().atMost(Duration.ofSeconds(15)).until(() -> skewed.arrivalsRegistry().backoffWakeups() > wakeupsBefore);
        assertThat(System.currentTimeMillis()).isGreaterThanOrEqualTo(backoffEnd - 200);
    }
}
