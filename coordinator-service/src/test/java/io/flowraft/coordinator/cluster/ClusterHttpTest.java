package io.flowraft.coordinator.cluster;

import io.flowraft.coordinator.testing.InProcessCluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.flowraft.contracts.HistoryEntry;
import io.flowraft.contracts.Lease;
import io.flowraft.contracts.PollRequest;
import io.flowraft.contracts.RegisterDefinitionRequest;
import io.flowraft.contracts.SnapshotView;
import io.flowraft.contracts.SubmitWorkflowRequest;
import io.flowraft.contracts.TaskSpec;
import io.flowraft.contracts.TaskStatus;
import io.flowraft.contracts.TaskView;
import io.flowraft.contracts.TriggerRule;
import io.flowraft.contracts.WorkflowStatus;
import io.flowraft.contracts.WorkflowView;
import io.flowraft.contracts.client.FlowRaftClient;
import io.flowraft.contracts.json.FlowRaftJson;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Three complete coordinators in one JVM, driven only over HTTP: writes through a follower, reads through
 * another, and an order pipeline with sequential, parallel and conditional paths run to completion by a
 * test worker.
 */
class ClusterHttpTest {

    private static InProcessCluster cluster;
    private static int leader;
    private static int follower;
    private static int other;

    @BeforeAll
    static void startCluster() {
        cluster = new InProcessCluster(3).startAll();
        leader = cluster.awaitLeader(Duration.ofSeconds(10));
        follower = (leader + 1) % 3;
        other = (leader + 2) % 3;
    }

    @AfterAll
    static void stopCluster() {
        cluster.close();
    }

    private static TaskSpec task(String id, List<String> after, String when, TriggerRule trigger, String input) {
        JsonNode inputNode = input == null ? null : FlowRaftJson.mapper().readTree(input);
        return new TaskSpec(id, "work", after, inputNode, when, trigger, null, 30_000L, null);
    }

    /** validate -> (reserve, charge) -> ship | expressShip (by condition) -> notify (NONE_FAILED join). */
    private static List<TaskSpec> orderPipeline() {
        return List.of(
                task("validate", List.of(), null, null, "{\"order\":\"${input.orderId}\"}"),
                task("reserve", List.of("validate"), null, null, null),
                task("charge", List.of("validate"), null, null, "{\"amount\":\"${input.amount}\"}"),
                task("ship", List.of("reserve", "charge"), "!input.express", null, null),
                task("expressShip", List.of("reserve", "charge"), "input.express", null, null),
                task("notify", List.of("ship", "expressShip"), null, TriggerRule.NONE_FAILED,
                        "{\"payment\":\"${tasks.charge.output.paymentId}\",\"order\":\"${input.orderId}\"}"));
    }

    /** A worker over HTTP: polls through one node, reports through another, until the workflow ends. */
    private static void runToCompletion(String workflowId, FlowRaftClient pollVia, FlowRaftClient reportVia) {
        await().atMost(Duration.ofSeconds(30)).until(() -> {
            List<Lease> leases = pollVia.poll(new PollRequest("test-worker", List.of("work"), 10, 1_000L, 30_000L, null));
            for (Lease lease : leases) {
                ObjectNode output = FlowRaftJson.mapper().createObjectNode().put("by", lease.taskId());
                if (lease.taskId().equals("charge")) {
                    output.put("paymentId", "pay-42");
                }
                reportVia.complete(lease.leaseId(), output);
            }
            return pollVia.getWorkflow(workflowId).status() != WorkflowStatus.RUNNING;
        });
    }

    @Test
    void shouldRunAnOrderPipelineSubmittedThroughAFollowerAndReadThroughAnother() {
        // given a definition registered through a follower
        FlowRaftClient viaFollower = cluster.client(follower);
        FlowRaftClient viaOther = cluster.client(other);
        viaFollower.registerDefinition(new RegisterDefinitionRequest("orders", null, orderPipeline()));
        // when a workflow is submitted through that follower
        ObjectNode input = FlowRaftJson.mapper().createObjectNode().put("orderId", "o-1").put("amount", 99)
                .put("express", false);
        WorkflowView submitted = viaFollower.submitWorkflow(new SubmitWorkflowRequest("orders", null, input, null), "order-o-1");
        // then a linearizable read through the other node sees it at once
        WorkflowView read = viaOther.getWorkflow(submitted.id());
        assertThat(read.status()).isEqualTo(WorkflowStatus.RUNNING);
        assertThat(read.definition()).isEqualTo("orders@1");
        // and the same key through yet another node answers the same workflow
        assertThat(cluster.client(leader).submitWorkflow(new SubmitWorkflowRequest("orders", null, input, null), "order-o-1")
                .id()).isEqualTo(submitted.id());

        // when a worker runs it, polling through one node and reporting through another
        runToCompletion(submitted.id(), viaOther, viaFollower);

        // then the sequential, parallel and conditional paths resolved as the input says
        WorkflowView done = cluster.client(leader).getWorkflow(submitted.id());
        assertThat(done.status()).isEqualTo(WorkflowStatus.COMPLETED);
        Map<String, TaskView> tasks = done.tasks().stream().collect(Collectors.toMap(TaskView::id, Function.identity()));
        assertThat(tasks.get("validate").status()).isEqualTo(TaskStatus.COMPLETED);
        assertThat(tasks.get("reserve").status()).isEqualTo(TaskStatus.COMPLETED);
        assertThat(tasks.get("charge").status()).isEqualTo(TaskStatus.COMPLETED);
        assertThat(tasks.get("ship").status()).isEqualTo(TaskStatus.COMPLETED);
        assertThat(tasks.get("expressShip").status()).isEqualTo(TaskStatus.SKIPPED);
        assertThat(tasks.get("notify").status()).isEqualTo(TaskStatus.COMPLETED);
        assertThat(tasks.get("notify").input().get("payment").asString()).isEqualTo("pay-42");
        assertThat(tasks.get("charge").input().get("amount").asInt()).isEqualTo(99);
        // and the history lists the committed transitions in log order
        List<HistoryEntry> history = viaOther.history(submitted.id()).entries();
        assertThat(history.getFirst().kind()).isEqualTo("WorkflowSubmitted");
        assertThat(history.getLast().kind()).isEqualTo("WorkflowCompleted");
        assertThat(history).extracting(HistoryEntry::index).isSorted();
    }

    @Test
    void shouldWakeALongPollWhenAConcurrencySlotFrees() throws Exception {
        // given two workflows whose task shares a concurrency slot of one, the first one leased
        TaskSpec limited = new TaskSpec("pay", "limited", null, null, null, null, null, 30_000L,
                new io.flowraft.contracts.ConcurrencyLimit("bank", 1));
        FlowRaftClient viaFollower = cluster.client(follower);
        for (int i = 0; i < 2; i++) {
            viaFollower.submitWorkflow(new SubmitWorkflowRequest(null, List.of(limited),
                    FlowRaftJson.mapper().createObjectNode(), null));
        }
        List<Lease> first = viaFollower.poll(new PollRequest("w1", List.of("limited"), 5, 0L, 30_000L, null));
        assertThat(first).hasSize(1);
        // when a second worker long-polls (blocked by the slot) and the first completes
        var waiting = java.util.concurrent.CompletableFuture.supplyAsync(() -> cluster.client(other)
                .poll(new PollRequest("w2", List.of("limited"), 5, 20_000L, 30_000L, null)));
        long completedAt = System.nanoTime();
        viaFollower.complete(first.getFirst().leaseId(), FlowRaftJson.mapper().createObjectNode());
        // then the waiting poll gets the second task long before its 20 s wait ends
        List<Lease> second = waiting.get(10, java.util.concurrent.TimeUnit.SECONDS);
        assertThat(second).hasSize(1);
        assertThat((System.nanoTime() - completedAt) / 1_000_000).isLessThan(10_000);
    }

    @Test
    void shouldAnswerAWaitOnAFollowerAsSoonAsTheWorkflowCompletesThroughAnotherNode() throws Exception {
        // given a running workflow, and a client waiting up to 20 s on a follower for its end
        TaskSpec only = new TaskSpec("only", "await-end", null, null, null, null, null, 30_000L, null);
        WorkflowView submitted = cluster.client(leader).submitWorkflow(new SubmitWorkflowRequest(null, List.of(only),
                FlowRaftJson.mapper().createObjectNode(), null));
        var waiting = java.util.concurrent.CompletableFuture.supplyAsync(
                () -> cluster.client(follower).awaitWorkflow(submitted.id(), Duration.ofSeconds(20)));
        await().during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(2)).until(() -> !waiting.isDone());

        // when a worker completes its task through the other follower
        FlowRaftClient viaOther = cluster.client(other);
        List<Lease> leases = viaOther.poll(new PollRequest("w-end", List.of("await-end"), 1, 5_000L, 30_000L, null));
        assertThat(leases).hasSize(1);
        long completedAt = System.nanoTime();
        viaOther.complete(leases.getFirst().leaseId(), FlowRaftJson.mapper().createObjectNode());

        // then the wait answers the completed workflow promptly, not at the end of its 20 s
        WorkflowView done = waiting.get(10, java.util.concurrent.TimeUnit.SECONDS);
        assertThat(done.status()).isEqualTo(WorkflowStatus.COMPLETED);
        assertThat(done.finishedAt()).isNotNull();
        assertThat(Duration.ofNanos(System.nanoTime() - completedAt)).isLessThan(Duration.ofSeconds(3));
    }

    @Test
    void shouldAnswerWritesThroughAFollowerWithViewsThatShowTheWrite() {
        FlowRaftClient viaFollower = cluster.client(follower);
        TaskSpec only = new TaskSpec("only", "read-back", null, null, null, null, null, 30_000L, null);
        for (int i = 0; i < 20; i++) {
            // when a follower forwards a submit, then a cancel
            WorkflowView submitted = viaFollower.submitWorkflow(new SubmitWorkflowRequest(null, List.of(only),
                    FlowRaftJson.mapper().createObjectNode().put("i", i), null));
            WorkflowView cancelled = viaFollower.cancel(submitted.id(), "read-back test");

            // then each answer is the follower's view after the write, never an older one or the bare id
            assertThat(submitted.status()).isEqualTo(WorkflowStatus.RUNNING);
            assertThat(submitted.input().get("i").asInt()).isEqualTo(i);
            assertThat(submitted.tasks()).extracting(TaskView::status).containsExactly(TaskStatus.READY);
            assertThat(cancelled.status()).isEqualTo(WorkflowStatus.CANCELLED);
            assertThat(cancelled.tasks()).extracting(TaskView::status).containsExactly(TaskStatus.CANCELLED);
        }
    }

    @Test
    void shouldTakeASnapshotOnAFollowerThatHoldsTheSubmits() {
        // given workflows submitted through a follower
        FlowRaftClient viaFollower = cluster.client(follower);
        TaskSpec only = new TaskSpec("only", "snapshot-test", null, null, null, null, null, 30_000L, null);
        String last = null;
        for (int i = 0; i < 10; i++) {
            last = viaFollower.submitWorkflow(new SubmitWorkflowRequest(null, List.of(only),
                    FlowRaftJson.mapper().createObjectNode(), null)).id();
        }
        long submittedAt = viaFollower.history(last).entries().getFirst().index();

        // when the follower is asked for a snapshot (fewer entries than the snapshot log index margin: taken anyway)
        SnapshotView snapshot = viaFollower.snapshot();

        // then it includes the submits, and its save shows in the follower's metrics
        assertThat(snapshot.index()).isGreaterThanOrEqualTo(submittedAt);
        assertThat(snapshot.bytes()).isPositive();
        assertThat(snapshot.durationMs()).isNotNegative();
        String metrics = RawHttp.get(cluster.managementUri(follower), "/actuator/prometheus").body();
        assertThat(metric(metrics, "flowraft_raft_snapshot_save_seconds_count")).isGreaterThanOrEqualTo(1);
        assertThat(metric(metrics, "flowraft_raft_snapshot_bytes_max")).isPositive();
        assertThat(metric(metrics, "flowraft_raft_proposals_in_flight")).isZero();
        assertThat(metric(metrics, "flowraft_raft_snapshot_load_seconds_count")).isZero();
        assertThat(metric(metrics, "flowraft_raft_command_bytes_count")).as("commands are proposed on the leader")
                .isZero();
    }

    /** The value of a metric in a Prometheus scrape (the first sample of that name). */
    private static double metric(String scrape, String name) {
        return scrape.lines().filter(line -> line.startsWith(name + "{") || line.startsWith(name + " "))
                .map(line -> Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)))
                .findFirst().orElseThrow(() -> new AssertionError("No metric " + name + " in the scrape"));
    }

    @Test
    void shouldServeStaleReadsFromTheLocalStateOfAnyNode() {
        FlowRaftClient viaFollower = cluster.client(follower);
        WorkflowView submitted = viaFollower.submitWorkflow(new SubmitWorkflowRequest(null,
                List.of(task("only", List.of(), null, null, null)), FlowRaftJson.mapper().createObjectNode(), null));
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() ->
                assertThat(cluster.client(other).getWorkflowStale(submitted.id()).id()).isEqualTo(submitted.id()));
    }

    @Test
    void shouldReportTheSameDigestOnEveryNodeAtTheSameIndex() {
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            var a = cluster.client(0).clusterStale();
            var b = cluster.client(1).clusterStale();
            var c = cluster.client(2).clusterStale();
            assertThat(List.of(b.appliedIndex(), c.appliedIndex())).containsOnly(a.appliedIndex());
            assertThat(List.of(b.stateDigest(), c.stateDigest())).containsOnly(a.stateDigest());
            assertThat(a.peers()).hasSize(3);
            assertThat(a.leader()).isNotNull();
        });
    }
}
