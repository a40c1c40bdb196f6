package io.flowraft.coordinator.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.flowraft.contracts.Lease;
import io.flowraft.contracts.PollRequest;
import io.flowraft.contracts.RegisterDefinitionRequest;
import io.flowraft.contracts.RetryPolicy;
import io.flowraft.contracts.SubmitWorkflowRequest;
import io.flowraft.contracts.TaskSpec;
import io.flowraft.contracts.WorkflowStatus;
import io.flowraft.contracts.client.FlowRaftClient;
import io.flowraft.contracts.json.FlowRaftJson;
import io.flowraft.coordinator.testing.InProcessCluster;
import io.flowraft.coordinator.testing.PrometheusScrape;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The workflow, task and backlog metrics after a known workload on three real coordinators, driven by a worker that
 * polls and reports through the REST API; and the dashboard's queries against a real scrape.
 */
class MetricsClusterTest {

    private static final String CHARGE = "m-charge";
    private static final String SHIP = "m-ship";
    private static final Duration WAIT = Duration.ofSeconds(20);

    private static InProcessCluster cluster;
    private static int leader;
    private static FlowRaftClient client;

    @BeforeAll
    static void startCluster() {
        cluster = new InProcessCluster(3).startAll();
        leader = cluster.awaitLeader(Duration.ofSeconds(10));
        // through a follower, which forwards to the leader: the path most requests take
        client = cluster.client((leader + 1) % 3);
    }

    @AfterAll
    static void stopCluster() {
        cluster.close();
    }

    @Test
    void shouldCountAKnownWorkloadTheSameOnEveryReplica() {
        // given a definition of two tasks, charge then ship; charge retries once after 100 ms
        client.registerDefinition(new RegisterDefinitionRequest("orders", null, List.of(
                new TaskSpec("charge", CHARGE, List.of(), null, null, null, new RetryPolicy(2, 100L, 1.0, 100L),
                        30_000L, null),
                new TaskSpec("ship", SHIP, List.of("charge"), null, null, null, null, 30_000L, null))));
        // when 7 workflows start and no worker polls yet
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 7; i++) {
            ids.add(client.submitWorkflow(new SubmitWorkflowRequest("orders", null,
                    FlowRaftJson.mapper().createObjectNode().put("n", i), null), "metrics-" + i).id());
        }
        // then the leader shows a backlog of 7 charge tasks, waiting longer and longer
        await().atMost(WAIT).untilAsserted(() -> {
            PrometheusScrape scrape = PrometheusScrape.of(cluster.managementUri(leader));
            assertThat(scrape.sum("flowraft_tasks_ready", "type", CHARGE)).isEqualTo(7);
            assertThat(scrape.sum("flowraft_tasks_ready_oldest_age_seconds", "type", CHARGE)).isPositive();
        });

        // when a worker leases all 7 charges; one workflow is cancelled, one charge fails for good, one fails once
        Map<String, Lease> charges = leaseAll(CHARGE, 7);
        int chargeLeases = 7;
        client.cancel(ids.get(6), "metrics test");
        client.fail(charges.get(ids.get(5)).leaseId(), "card declined", false);
        client.fail(charges.get(ids.get(1)).leaseId(), "gateway timeout", true);
        for (int i : new int[] {0, 2, 3, 4}) {
            client.complete(charges.get(ids.get(i)).leaseId(), FlowRaftJson.mapper().createObjectNode());
        }
        // and the retried charge comes back after its backoff and completes
        Lease retried = leaseAll(CHARGE, 1).get(ids.get(1));
        assertThat(retried.attempt()).isEqualTo(2);
        chargeLeases++;
        client.complete(retried.leaseId(), FlowRaftJson.mapper().createObjectNode());
        // then 5 ship tasks wait
        await().atMost(WAIT).until(() -> PrometheusScrape.of(cluster.managementUri(leader))
                .sum("flowraft_tasks_ready", "type", SHIP) == 5);
        // when they are leased and completed
        Map<String, Lease> ships = leaseAll(SHIP, 5);
        ships.values().forEach(l -> client.complete(l.leaseId(), FlowRaftJson.mapper().createObjectNode()));
        for (int i = 0; i < 7; i++) {
            WorkflowStatus expected = i == 5 ? WorkflowStatus.FAILED : i == 6 ? WorkflowStatus.CANCELLED
                    : WorkflowStatus.COMPLETED;
            assertThat(client.awaitWorkflow(ids.get(i), WAIT).status()).isEqualTo(expected);
        }

        // then every replica counts the same workload
        int leases = chargeLeases;
        for (int node = 0; node < 3; node++) {
            int n = node;
            await().atMost(WAIT).untilAsserted(() -> {
                PrometheusScrape scrape = PrometheusScrape.of(cluster.managementUri(n));
                assertThat(scrape.sum("flowraft_workflows_started_total", "definition", "orders")).isEqualTo(7);
                assertThat(ended(scrape, "completed")).isEqualTo(5);
                assertThat(ended(scrape, "failed")).isEqualTo(1);
                assertThat(ended(scrape, "cancelled")).isEqualTo(1);

                assertThat(outcome(scrape, CHARGE, "completed")).isEqualTo(5);
                assertThat(outcome(scrape, CHARGE, "failed-retryable")).isEqualTo(1);
                assertThat(outcome(scrape, CHARGE, "failed-terminal")).isEqualTo(1);
                assertThat(outcome(scrape, CHARGE, "cancelled")).isEqualTo(1);
                assertThat(outcome(scrape, CHARGE, "lease-expired")).isZero();
                assertThat(outcome(scrape, SHIP, "completed")).isEqualTo(5);
                assertThat(outcome(scrape, SHIP, "skipped")).as("after the failed charge").isEqualTo(1);
                assertThat(outcome(scrape, SHIP, "cancelled")).isEqualTo(1);
                assertThat(scrape.sum("flowraft_task_retries_total", "type", CHARGE)).isEqualTo(1);
                assertThat(scrape.sum("flowraft_task_lease_expiries_total", "type", CHARGE)).isZero();

                // one dispatch per lease granted, one run per report
                assertThat(scrape.sum("flowraft_task_dispatch_seconds_count", "type", CHARGE)).isEqualTo(leases);
                assertThat(scrape.sum("flowraft_task_dispatch_seconds_count", "type", SHIP)).isEqualTo(5);
                assertThat(scrape.sum("flowraft_task_dispatch_seconds_bucket", "type", CHARGE, "le", "+Inf"))
                        .isEqualTo(leases);
                assertThat(scrape.sum("flowraft_task_run_seconds_count", "type", CHARGE)).isEqualTo(7);
                assertThat(scrape.sum("flowraft_task_run_seconds_count", "type", SHIP)).isEqualTo(5);
                // the first backlog waited for the worker: dispatch took time, by the leader's stamps
                assertThat(scrape.sum("flowraft_task_dispatch_seconds_sum", "type", CHARGE)).isPositive();

                // and the backlog is gone
                assertThat(scrape.sum("flowraft_tasks_ready", "type", CHARGE)).isZero();
                assertThat(scrape.sum("flowraft_tasks_ready", "type", SHIP)).isZero();
                assertThat(scrape.sum("flowraft_tasks_ready_oldest_age_seconds", "type", CHARGE)).isZero();
            });
        }
        // and the leader timed its commits and knows its log on disk
        PrometheusScrape onLeader = PrometheusScrape.of(cluster.managementUri(leader));
        assertThat(onLeader.sum("flowraft_raft_commit_seconds_count")).isGreaterThanOrEqualTo(7 + 8 + 5 + 7);
        assertThat(onLeader.sum("flowraft_raft_log_bytes")).isPositive();
        assertThat(onLeader.sum("flowraft_raft_log_last_index")).isPositive();
        // and the dashboard and the alert rules query only metrics that a real scrape has
        ObservabilityFiles.assertEveryQueryNamesScrapedMetrics(onLeader);
    }

    @Test
    void shouldBoundTheTypeLabelAndCountTheRestAsOther() {
        // given a coordinator that names at most two task types
        try (InProcessCluster small = new InProcessCluster(1, "--flowraft.metrics.max-task-types=2").startAll()) {
            small.awaitLeader(Duration.ofSeconds(10));
            FlowRaftClient one = small.client(0);
            // when tasks of four types become READY, one type after the other
            for (String type : List.of("cap-a", "cap-b", "cap-c", "cap-d", "cap-a")) {
                one.submitWorkflow(new SubmitWorkflowRequest(null, List.of(new TaskSpec("t", type, List.of(), null,
                        null, null, null, null, null)), FlowRaftJson.mapper().createObjectNode(), null));
            }
            // then the first two keep their names and the others are counted together as "other"
            await().atMost(WAIT).untilAsserted(() -> {
                PrometheusScrape scrape = PrometheusScrape.of(small.managementUri(0));
                assertThat(scrape.sum("flowraft_tasks_ready", "type", "cap-a")).isEqualTo(2);
                assertThat(scrape.sum("flowraft_tasks_ready", "type", "cap-b")).isEqualTo(1);
                assertThat(scrape.sum("flowraft_tasks_ready", "type", "other")).isEqualTo(2);
                assertThat(scrape.has("flowraft_tasks_ready", "type", "cap-c")).isFalse();
                assertThat(scrape.has("flowraft_tasks_ready", "type", "cap-d")).isFalse();
                assertThat(scrape.sum("flowraft_workflows_started_total", "definition", "inline")).isEqualTo(5);
            });
            // and a worker's leases of the capped types are timed under "other" too
            leaseAllFrom(one, List.of("cap-c", "cap-d"), 2);
            await().atMost(WAIT).untilAsserted(() -> {
                PrometheusScrape scrape = PrometheusScrape.of(small.managementUri(0));
                assertThat(scrape.sum("flowraft_task_dispatch_seconds_count", "type", "other")).isEqualTo(2);
                assertThat(scrape.names()).noneMatch(n -> n.contains("cap_c"));
                assertThat(scrape.text()).doesNotContain("cap-c", "cap-d");
            });
        }
    }

    private static void leaseAllFrom(FlowRaftClient from, List<String> types, int count) {
        List<Lease> leases = new ArrayList<>();
        await().atMost(WAIT).until(() -> {
            leases.addAll(from.poll(new PollRequest("cap-worker", types, count - leases.size(), 1_000L, 30_000L, null)));
            return leases.size() >= count;
        });
        assertThat(leases).hasSize(count);
    }

    private static double ended(PrometheusScrape scrape, String status) {
        return scrape.sum("flowraft_workflows_ended_total", "definition", "orders", "status", status);
    }

    private static double outcome(PrometheusScrape scrape, String type, String outcome) {
        return scrape.sum("flowraft_task_outcomes_total", "type", type, "outcome", outcome);
    }

    /** Polls {@code type} until {@code count} leases were granted; by workflow id. */
    private static Map<String, Lease> leaseAll(String type, int count) {
        Map<String, Lease> leases = new HashMap<>();
        await().atMost(WAIT).until(() -> {
            for (Lease lease : client.poll(new PollRequest("metrics-worker", List.of(type), count - leases.size(),
                    1_000L, 30_000L, null))) {
                leases.put(lease.workflowId(), lease);
            }
            return leases.size() >= count;
        });
        assertThat(leases).hasSize(count);
        return leases;
    }
}
