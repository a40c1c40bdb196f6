package io.flowraft.coordinator.cluster;

import io.flowraft.coordinator.testing.InProcessCluster;
import io.flowraft.coordinator.testing.PrometheusScrape;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.flowraft.contracts.ClusterView;
import io.flowraft.contracts.SubmitWorkflowRequest;
import io.flowraft.contracts.TaskSpec;
import io.flowraft.contracts.json.FlowRaftJson;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** Membership, leadership transfer, graceful shutdown and the actuator endpoints, on real coordinators. */
class ClusterAdminTest {

    private InProcessCluster cluster;

    @AfterEach
    void tearDown() {
        if (cluster != null) {
            cluster.close();
        }
    }

    private void submitSome(int node, int count) {
        for (int i = 0; i < count; i++) {
            cluster.client(node).submitWorkflow(new SubmitWorkflowRequest(null,
                    List.of(new TaskSpec("a", "admin", null, null, null, null, null, null, null)),
                    FlowRaftJson.mapper().createObjectNode(), null));
        }
    }

    private void awaitSameDigest(List<Integer> nodes) {
        await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(100)).ignoreExceptions().untilAsserted(() -> {
            Set<String> digests = new HashSet<>();
            Set<Long> indexes = new HashSet<>();
            for (int i : nodes) {
                ClusterView view = cluster.client(i).clusterStale();
                digests.add(view.stateDigest());
                indexes.add(view.appliedIndex());
            }
            assertThat(indexes).hasSize(1);
            assertThat(digests).hasSize(1);
        });
    }

    @Test
    void shouldAddAndRemovePeersThroughTheAdminApi() {
        // given a cluster with some state
        cluster = new InProcessCluster(3).startAll();
        int leader = cluster.awaitLeader(Duration.ofSeconds(10));
        submitSome(leader, 5);
        // when a fourth coordinator starts in join mode and is added through a follower
        int joiner = cluster.startJoiner();
        int follower = (leader + 1) % 3;
        RawHttp.Response added = RawHttp.postJson(cluster.baseUri(follower), "/api/v1/cluster/peers",
                "{\"peer\": \"" + cluster.raftAddress(joiner) + "\"}");
        assertThat(added.status()).as(added.body()).isEqualTo(200);
        // then it catches up and every node agrees on four voters and the same state
        await().atMost(Duration.ofSeconds(10)).ignoreExceptions().untilAsserted(() ->
                assertThat(cluster.client(joiner).clusterStale().peers()).hasSize(4));
        awaitSameDigest(List.of(0, 1, 2, joiner));
        submitSome(joiner, 2);
        awaitSameDigest(List.of(0, 1, 2, joiner));
        // when a peer is removed
        int removed = (leader + 2) % 3;
        RawHttp.Response deleted = RawHttp.delete(cluster.baseUri(leader), "/api/v1/cluster/peers/" + cluster.raftAddress(removed));
        assertThat(deleted.status()).as(deleted.body()).isEqualTo(200);
        // then the others no longer count it
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                assertThat(cluster.client(leader).clusterStale().peers()).hasSize(3)
                        .doesNotContain(cluster.raftAddress(removed)));
    }

    @Test
    void shouldTransferLeadershipOnRequestAndOnGracefulShutdown() {
        cluster = new InProcessCluster(3).startAll();
        int leader = cluster.awaitLeader(Duration.ofSeconds(10));
        int target = (leader + 1) % 3;
        // when leadership is moved to a chosen follower
        RawHttp.Response moved = RawHttp.postJson(cluster.baseUri(leader), "/api/v1/cluster/leader",
                "{\"peer\": \"" + cluster.raftAddress(target) + "\"}");
        assertThat(moved.status()).as(moved.body()).isBetween(200, 202);
        assertThat(cluster.awaitLeader(Duration.ofSeconds(5))).isEqualTo(target);
        await().atMost(Duration.ofSeconds(5)).until(() -> cluster.leader().orElse(-1) == target);
        // when the leader shuts down gracefully, it hands leadership over first
        long stoppedAt = System.nanoTime();
        cluster.stop(target);
        int next = cluster.awaitLeader(Duration.ofSeconds(5));
        long handoverMs = (System.nanoTime() - stoppedAt) / 1_000_000;
        System.out.printf("graceful shutdown: node %d leads %d ms after node %d began stopping%n", next, handoverMs, target);
        assertThat(next).isNotEqualTo(target);
        submitSome(next, 1);
    }

    @Test
    void shouldNeverAcknowledgeAWriteWithoutAQuorum() {
        // given a cluster that lost two of its three nodes
        cluster = new InProcessCluster(3).startAll();
        int leader = cluster.awaitLeader(Duration.ofSeconds(10));
        int survivor = (leader + 1) % 3;
        cluster.stop(leader);
        cluster.stop((leader + 2) % 3);
        // when a client writes to the survivor
        RawHttp.Response response = RawHttp.postJson(cluster.baseUri(survivor), "/api/v1/workflows",
                "{\"tasks\": [{\"id\": \"a\", \"type\": \"q\"}], \"input\": {}, \"idempotencyKey\": \"no-quorum\"}");
        // then it is told to retry (no leader, or outcome unknown), never acknowledged
        assertThat(response.status()).as(response.body()).isIn(503, 504);
        assertThat(response.retryAfter()).isNotNull();
        assertThat(response.problemType()).matches(".*/(not-leader|outcome-unknown)");
        if (response.status() == 503) {
            assertThat(response.json().get("reason").asString()).isEqualTo("no-leader");
        } else {
            assertThat(response.json().has("reason")).as("a 504 is not a refusal").isFalse();
        }
        // and a worker's report batch is answered, but each report is told to come again, with a Retry-After
        RawHttp.Response reports = RawHttp.postJson(cluster.baseUri(survivor), "/api/v1/reports",
                "{\"reports\": [{\"leaseId\": \"wf-1.a.7\", \"outcome\": \"COMPLETED\"}]}");
        assertThat(reports.status()).as(reports.body()).isEqualTo(200);
        JsonNode result = reports.json().get("results").get(0);
        assertThat(result.get("status").asInt()).as(reports.body()).isIn(503, 504);
        assertThat(result.get("problem").get("retryAfterSeconds").asLong()).isPositive();
        // and reads that need the quorum are refused too, rather than served stale
        RawHttp.Response read = RawHttp.get(cluster.baseUri(survivor), "/api/v1/workflows?limit=1");
        assertThat(read.status()).isEqualTo(503);
        assertThat(read.json().get("reason").asString()).isEqualTo("no-leader");
        assertThat(PrometheusScrape.of(cluster.managementUri(survivor))
                .sum("flowraft_http_refused_total", "status", "503", "reason", "no-leader")).isPositive();
        assertThat(RawHttp.get(cluster.baseUri(survivor), "/api/v1/workflows?limit=1&consistency=stale").status())
                .isEqualTo(200);
    }

    @Test
    void shouldExposeProbesAndRaftMetrics() {
        cluster = new InProcessCluster(3).startAll();
        int leader = cluster.awaitLeader(Duration.ofSeconds(10));
        submitSome(leader, 3);
        for (int i = 0; i < 3; i++) {
            assertThat(RawHttp.get(cluster.baseUri(i), "/actuator/health/liveness").status()).isEqualTo(200);
            RawHttp.Response readiness = RawHttp.get(cluster.baseUri(i), "/actuator/health/readiness");
            assertThat(readiness.status()).isEqualTo(200);
            // the API port answers the probes without details; the details are on the management port only
            assertThat(readiness.body()).doesNotContain("\"raft\"");
            assertThat(RawHttp.get(cluster.baseUri(i), "/actuator/health").status()).isNotEqualTo(200);
            assertThat(RawHttp.get(cluster.baseUri(i), "/actuator/prometheus").status()).isNotEqualTo(200);
            RawHttp.Response details = RawHttp.get(cluster.managementUri(i), "/actuator/health");
            assertThat(details.status()).isEqualTo(200);
            assertThat(details.body()).contains("\"raft\"", "\"raftLiveness\"");
        }
        String metrics = RawHttp.get(cluster.managementUri(leader), "/actuator/prometheus").body();
        assertThat(metrics).contains("flowraft_raft_term", "flowraft_raft_applied_index", "flowraft_raft_commit_index",
                "flowraft_raft_leader_changes_total", "flowraft_raft_apply_seconds", "flowraft_raft_entry_commands",
                "flowraft_raft_proposals_rejected_total");
        assertThat(metrics).containsPattern("flowraft_raft_leader\\{[^}]*} 1\\.0");
    }

    @Test
    void shouldAnswer429WithRetryAfterWhenTooManyProposalsAreInFlight() throws Exception {
        // given a node that takes one proposal at a time
        cluster = new InProcessCluster(1, "--flowraft.raft.max-in-flight=1").startAll();
        cluster.awaitLeader(Duration.ofSeconds(10));
        String body = "{\"tasks\": [{\"id\": \"a\", \"type\": \"bp\"}], \"input\": {}}";
        // when many clients submit at once
        List<java.util.concurrent.Future<RawHttp.Response>> responses;
        try (var pool = java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor()) {
            responses = new java.util.ArrayList<>();
            for (int i = 0; i < 200; i++) {
                responses.add(pool.submit(() -> RawHttp.postJson(cluster.baseUri(0), "/api/v1/workflows", body)));
            }
        }
        int accepted = 0;
        int refused = 0;
        for (var future : responses) {
            RawHttp.Response response = future.get();
            if (response.status() == 201) {
                accepted++;
            } else {
                assertThat(response.status()).as(response.body()).isEqualTo(429);
                assertThat(response.retryAfter()).isNotNull();
                assertThat(response.problemType()).endsWith("/overloaded");
                assertThat(response.json().get("reason").asString()).isEqualTo("proposal-queue-full");
                refused++;
            }
        }
        // then some were refused at once rather than queued, and every accepted one is committed
        assertThat(refused).isPositive();
        assertThat(accepted).isPositive();
        assertThat(cluster.client(0).listWorkflows(null, null, 500, null).items()).hasSize(accepted);
        // and each refusal is counted with its reason
        assertThat(PrometheusScrape.of(cluster.managementUri(0))
                .sum("flowraft_http_refused_total", "status", "429", "reason", "proposal-queue-full"))
                .isEqualTo(refused);
    }
}
