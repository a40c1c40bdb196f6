package io.flowraft.coordinator.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.flowraft.contracts.Lease;
import io.flowraft.contracts.PollRequest;
import io.flowraft.contracts.SubmitWorkflowBatchResponse;
import io.flowraft.contracts.SubmitWorkflowRequest;
import io.flowraft.contracts.TaskSpec;
import io.flowraft.contracts.WorkflowEndsResponse;
import io.flowraft.contracts.WorkflowStatus;
import io.flowraft.contracts.client.FlowRaftClient;
import io.flowraft.coordinator.testing.InProcessCluster;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.node.JsonNodeFactory;

/**
 * Batch submit and the wait for many ends on three real coordinators: a batch sent to one follower commits
 * through the leader, is idempotent when sent again, and another follower answers the ends of its workflows,
 * never calling one just submitted unknown.
 */
class BatchOnClusterTest {

    private static InProcessCluster cluster;
    private static int leader;

    @BeforeAll
    static void startCluster() {
        cluster = new InProcessCluster(3).startAll();
        leader = cluster.awaitLeader(Duration.ofSeconds(10));
    }

    @AfterAll
    static void stopCluster() {
        cluster.close();
    }

    @Test
    void shouldSubmitABatchThroughAFollowerAndStreamTheEndsFromAnother() {
        FlowRaftClient submitter = cluster.client((leader + 1) % 3);
        FlowRaftClient watcher = cluster.client((leader + 2) % 3);
        String type = "batch-" + UUID.randomUUID();
        List<SubmitWorkflowRequest> batch = IntStream.range(0, 20).mapToObj(i -> new SubmitWorkflowRequest(null,
                List.of(new TaskSpec("a", type, null, null, null, null, null, null, null)),
                JsonNodeFactory.instance.objectNode().put("n", i), type + "-" + i)).toList();

        // when the batch goes to one follower
        SubmitWorkflowBatchResponse first = submitter.submitWorkflows(batch);

        // then each submit started a workflow of its own
        assertThat(first.results()).hasSize(20).allSatisfy(result -> assertThat(result.status()).isEqualTo(201));
        List<String> ids = first.results().stream().map(SubmitWorkflowBatchResponse.Result::id).toList();
        assertThat(Set.copyOf(ids)).hasSize(20);
        // and at once, another follower (which may not have applied them yet) knows them all: none is unknown
        WorkflowEndsResponse none = watcher.awaitEnds(ids, Duration.ofMillis(200));
        assertThat(none.notFound()).isEmpty();
        assertThat(none.ended()).isEmpty();
        // and the same batch sent again answers the same workflows, starting none
        SubmitWorkflowBatchResponse again = submitter.submitWorkflows(batch);
        assertThat(again.results()).extracting(SubmitWorkflowBatchResponse.Result::status).containsOnly(200);
        assertThat(again.results()).extracting(SubmitWorkflowBatchResponse.Result::id).containsExactlyElementsOf(ids);

        // when a worker completes every task while the watcher waits for the ends
        FlowRaftClient worker = cluster.client(leader);
        Set<String> leased = new LinkedHashSet<>();
        while (leased.size() < 20) {
            for (Lease lease : worker.poll(new PollRequest("w-1", List.of(type), 20, 0L, 30_000L, null, null))) {
                worker.complete(lease.leaseId(), JsonNodeFactory.instance.objectNode().put("ok", true));
                leased.add(lease.workflowId());
            }
        }
        Map<String, Integer> answered = new HashMap<>();
        List<String> waiting = new ArrayList<>(ids);
        waiting.add(0, "no-such-workflow");
        List<String> unknown = new ArrayList<>();
        long giveUp = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!waiting.isEmpty() && System.nanoTime() < giveUp) {
            WorkflowEndsResponse answer = watcher.awaitEnds(waiting, Duration.ofSeconds(5));
            for (WorkflowEndsResponse.Ended end : answer.ended()) {
                assertThat(end.status()).isEqualTo(WorkflowStatus.COMPLETED);
                assertThat(end.finishedAt()).isNotNull();
                answered.merge(end.id(), 1, Integer::sum);
                waiting.remove(end.id());
            }
            unknown.addAll(answer.notFound());
            waiting.removeAll(answer.notFound());
        }

        // then every workflow's end was answered exactly once, and only the made-up id is unknown
        assertThat(answered.keySet()).containsExactlyInAnyOrderElementsOf(ids);
        assertThat(answered.values()).containsOnly(1);
        assertThat(unknown).containsExactly("no-such-workflow");
    }
}
