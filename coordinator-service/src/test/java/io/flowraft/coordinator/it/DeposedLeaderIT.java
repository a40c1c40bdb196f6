package io.flowraft.coordinator.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.flowraft.contracts.Lease;
import io.flowraft.contracts.PollRequest;
import io.flowraft.contracts.SubmitWorkflowRequest;
import io.flowraft.contracts.TaskStatus;
import io.flowraft.contracts.client.FlowRaftClient;
import io.flowraft.contracts.client.FlowRaftProblemException;
import io.flowraft.contracts.json.FlowRaftJson;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A leader frozen with SIGSTOP is deposed while it sleeps. Requests it receives while frozen are handled
 * after it wakes, when it is no longer the leader: it must not commit them on its own or grant leases, and
 * the lease it granted before it froze must be rejected once the new leader has re-leased the task.
 */
class DeposedLeaderIT {

    private ProcessCluster cluster;

    @AfterEach
    void tearDown() {
        if (cluster != null) {
            cluster.close();
        }
    }

    private static long token(String leaseId) {
        return Long.parseLong(leaseId.substring(leaseId.lastIndexOf('.') + 1));
    }

    @Test
    void shouldRejectTheStaleLeaseOfADeposedLeader() throws Exception {
        // given a task leased through the leader
        cluster = new ProcessCluster(3, 1000).startAll(Duration.ofSeconds(90));
        int oldLeader = cluster.awaitLeader(Duration.ofSeconds(10));
        FlowRaftClient viaOld = cluster.node(oldLeader).client();
        String workflowId = viaOld.submitWorkflow(new SubmitWorkflowRequest(null,
                MultiProcessFailoverIT.chain(1), FlowRaftJson.mapper().createObjectNode(), "deposed-1")).id();
        List<Lease> first = viaOld.poll(new PollRequest("worker-a", List.of("work"), 1, 0L, 2_000L, null));
        assertThat(first).hasSize(1);
        Lease staleLease = first.getFirst();

        // when the leader freezes and the others elect a new one
        cluster.node(oldLeader).pause();
        int newLeader;
        try {
            newLeader = await().atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(100))
                    .until(() -> cluster.leader().filter(l -> l != oldLeader), java.util.Optional::isPresent).get();
            FlowRaftClient viaNew = cluster.node(newLeader).client();
            // and the new leader expires the frozen lease and leases the task again
            Lease current;
            try {
                current = await().atMost(Duration.ofSeconds(45)).pollInterval(Duration.ofMillis(200)).until(
                        () -> viaNew.poll(new PollRequest("worker-b", List.of("work"), 1, 500L, 30_000L, null)),
                        leases -> !leases.isEmpty()).getFirst();
            } catch (org.awaitility.core.ConditionTimeoutException e) {
                // Say where the task stood on the new leader: still LEASED (no expiry committed), or READY in backoff.
                throw new AssertionError(e.getMessage() + "; the task on the new leader: "
                        + viaNew.getWorkflowStale(workflowId).tasks().getFirst() + "; cluster: " + viaNew.clusterStale(), e);
            }
            assertThat(current.attempt()).isEqualTo(2);
            assertThat(token(current.leaseId())).isGreaterThan(token(staleLease.leaseId()));

            // and requests reach the frozen node while it sleeps
            CompletableFuture<Object> lateCompletion = CompletableFuture.supplyAsync(
                    () -> call(() -> viaOld.complete(staleLease.leaseId(), FlowRaftJson.mapper().createObjectNode())));
            CompletableFuture<Object> latePoll = CompletableFuture.supplyAsync(() -> call(
                    () -> viaOld.poll(new PollRequest("worker-a", List.of("work"), 5, 0L, 2_000L, null))));
            cluster.node(oldLeader).resume();

            // then the deposed leader commits neither: the completion is refused, the poll grants nothing of its own
            Object completion = lateCompletion.get(30, TimeUnit.SECONDS);
            assertThat(completion).isInstanceOf(FlowRaftProblemException.class);
            assertThat(((FlowRaftProblemException) completion).status()).isIn(409, 503, 504);
            Object poll = latePoll.get(30, TimeUnit.SECONDS);
            if (poll instanceof List<?> leases) {
                assertThat(leases).as("the task is held by the new leader's lease").isEmpty();
            }
            // and the stale lease stays rejected, whichever node is asked, while the current one completes
            for (int i = 0; i < 3; i++) {
                FlowRaftClient client = cluster.node(i).client();
                await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
                    Object result = call(() -> client.complete(staleLease.leaseId(), FlowRaftJson.mapper().createObjectNode()));
                    assertThat(result).isInstanceOf(FlowRaftProblemException.class);
                    assertThat(((FlowRaftProblemException) result).status()).isEqualTo(409);
                });
            }
            assertThat(viaNew.complete(current.leaseId(), FlowRaftJson.mapper().createObjectNode()).duplicate()).isFalse();
            var task = viaNew.getWorkflow(workflowId).tasks().getFirst();
            assertThat(task.status()).isEqualTo(TaskStatus.COMPLETED);
            assertThat(task.attempt()).isEqualTo(2);
        } finally {
            cluster.node(oldLeader).resume();
        }
    }

    private static Object call(java.util.function.Supplier<Object> request) {
        try {
            return request.get();
        } catch (FlowRaftProblemException e) {
            return e;
        }
    }
}
