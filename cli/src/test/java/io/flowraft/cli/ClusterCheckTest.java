package io.flowraft.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.flowraft.contracts.Lease;
import io.flowraft.contracts.PollRequest;
import io.flowraft.contracts.client.FlowRaftClient;
import io.flowraft.coordinator.testing.InProcessCluster;
import io.flowraft.coordinator.testing.LoopingWorker;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** {@code flowraft cluster check}, the {@code helm test} pod's command, against a real three-node cluster. */
class ClusterCheckTest {

    private final InProcessCluster cluster = new InProcessCluster(3);

    @AfterEach
    void stopCluster() {
        cluster.close();
    }

    private Map<String, String> node(int i) {
        return Map.of(FlowRaftCli.URL_ENV, cluster.baseUri(i).toString());
    }

    @Test
    void shouldFailWithThreeWithoutALeader() {
        // given one node of three: no leader can be elected
        cluster.start(0);

        // when
        CliRun run = CliRun.run(node(0), "cluster", "check");

        // then the status is printed and no workflow is tried
        assertThat(run.exitCode()).as(run.toString()).isEqualTo(ExitCodes.NO_LEADER);
        assertThat(run.out()).contains("none known").doesNotContain("Submitted");
        assertThat(run.err()).startsWith("Unhealthy: ");
    }

    @Test
    void shouldCompleteAWorkflowThroughAWorker() throws InterruptedException {
        // given a cluster and a worker of the echo type
        cluster.startAll();
        int leader = cluster.awaitLeader(Duration.ofSeconds(10));
        int follower = (leader + 1) % 3;

        // then without a worker the check times out with 3
        CliRun noWorker = CliRun.run(node(follower), "cluster", "check", "--task-type", "nobody-polls", "--timeout", "2s");
        assertThat(noWorker.exitCode()).as(noWorker.toString()).isEqualTo(ExitCodes.NO_LEADER);
        assertThat(noWorker.err()).contains("still RUNNING", "'nobody-polls'");

        try (LoopingWorker worker = new LoopingWorker("check", "echo", () -> cluster.client(leader))) {
            // when the helm test pod's command runs
            CliRun run = CliRun.run(node(follower), "cluster", "check", "--task-type", "echo", "--timeout", "3m");

            // then it printed the status and the workflow completed
            assertThat(run.exitCode()).as(run.toString()).isEqualTo(ExitCodes.OK);
            assertThat(run.out()).contains("Leader:", "(this node)", "COMPLETED");
            assertThat(run.err()).isEmpty();

            // and as JSON, one document with both
            CliRun json = CliRun.run(node(leader), "cluster", "check", "--json");
            assertThat(json.exitCode()).as(json.toString()).isEqualTo(ExitCodes.OK);
            assertThat(json.json().get("cluster").get("leader").asString()).isEqualTo(cluster.raftAddress(leader));
            assertThat(json.json().get("workflow").get("status").asString()).isEqualTo("COMPLETED");
        }

        // and --no-workflow only checks the leader
        CliRun statusOnly = CliRun.run(node(follower), "cluster", "check", "--no-workflow");
        assertThat(statusOnly.exitCode()).as(statusOnly.toString()).isEqualTo(ExitCodes.OK);
        assertThat(statusOnly.out()).doesNotContain("Submitted");
    }

    @Test
    void shouldExitWithOneWhenTheWorkflowFails() {
        // given a worker that fails every task of its type for good
        cluster.startAll();
        int leader = cluster.awaitLeader(Duration.ofSeconds(10));
        FlowRaftClient client = cluster.client(leader);
        Thread failing = Thread.ofPlatform().daemon().start(() -> {
            while (!Thread.currentThread().isInterrupted()) {
                try {
                    for (Lease lease : client.poll(new PollRequest("doom", List.of("doomed"), 5, 500L, 10_000L, null))) {
                        client.fail(lease.leaseId(), "refused on purpose", false);
                    }
                } catch (RuntimeException e) {
                    return;
                }
            }
        });
        try {
            // when
            CliRun run = CliRun.run(node(leader), "cluster", "check", "--task-type", "doomed", "--timeout", "1m");

            // then
            assertThat(run.exitCode()).as(run.toString()).isEqualTo(ExitCodes.REJECTED);
            assertThat(run.err()).contains("ended FAILED", "refused on purpose");
        } finally {
            failing.interrupt();
        }
    }
}
