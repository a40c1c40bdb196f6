package io.flowraft.coordinator.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.flowraft.contracts.ClusterView;
import io.flowraft.contracts.EngineSettings;
import io.flowraft.contracts.ProblemType;
import io.flowraft.coordinator.testing.InProcessCluster;
import io.flowraft.coordinator.testing.PrometheusScrape;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Requests built to exhaust a replica, sent over HTTP to three real coordinators: each is refused as a
 * result, and afterwards every replica is live, ready, at the same state digest, and accepts new work. (Before
 * the bounds existed, the amplifying submit below put all three coordinators in ERROR for good.)
 */
class PoisonRequestsTest {

    private static final int KIB = 1024;

    private static InProcessCluster cluster;
    private static URI follower;
    private static int followerIndex;

    @BeforeAll
    static void startCluster() {
        cluster = new InProcessCluster(3).startAll();
        int leader = cluster.awaitLeader(Duration.ofSeconds(10));
        followerIndex = (leader + 1) % 3;
        follower = cluster.baseUri(followerIndex);
        await().atMost(Duration.ofSeconds(10)).until(() -> Boolean.TRUE.equals(cluster.client(leader).engineSettings().configured()));
    }

    @AfterAll
    static void stopCluster() {
        cluster.close();
    }

    /** 1,000 root tasks that each copy {@code ${input.blob}} 60 times. */
    private static String amplifyingDefinition() {
        String copies = "[" + String.join(",", Collections.nCopies(60, "\"${input.blob}\"")) + "]";
        List<String> tasks = new ArrayList<>();
        for (int i = 0; i < 1_000; i++) {
            tasks.add("{\"id\": \"t" + i + "\", \"type\": \"work\", \"input\": {\"copies\": " + copies + "}}");
        }
        return "{\"name\": \"amplify\", \"tasks\": [" + String.join(",", tasks) + "]}";
    }

    private static String submitWithBlob(String definition, int blobBytes) {
        return "{\"definition\": \"" + definition + "\", \"input\": {\"blob\": \"" + "x".repeat(blobBytes) + "\"}}";
    }

    /** Every replica live and ready, all at the same applied index and digest. */
    private static void assertEveryReplicaHealthyAndAgreeing() {
        for (int i = 0; i < cluster.size(); i++) {
            assertThat(RawHttp.get(cluster.baseUri(i), "/actuator/health/liveness").status()).as("liveness of " + i)
                    .isEqualTo(200);
        }
        await().atMost(Duration.ofSeconds(20)).until(cluster::allReady);
        await().atMost(Duration.ofSeconds(20)).until(() -> {
            List<ClusterView> views = new ArrayList<>();
            for (int i = 0; i < cluster.size(); i++) {
                views.add(cluster.client(i).clusterStale());
            }
            return views.stream().map(v -> v.appliedIndex() + "/" + v.stateDigest()).distinct().count() == 1;
        });
    }

    @Test
    void shouldRefuseTheAmplifyingSubmitAndKeepEveryReplicaServing() {
        // given the definition of the finding, which is valid (each template is small)
        RawHttp.Response registered = RawHttp.postJson(follower, "/api/v1/definitions", amplifyingDefinition());
        assertThat(registered.status()).as(registered.body()).isEqualTo(201);
        // when it is submitted with a 250 KiB blob (60 copies of it per task: 15 MiB per task, 15 GiB in all)
        RawHttp.Response submitted = RawHttp.postJson(follower, "/api/v1/workflows", submitWithBlob("amplify", 250 * KIB));
        // then it is one 422 that names the task and the bound
        assertThat(submitted.status()).as(submitted.body()).isEqualTo(422);
        assertThat(submitted.contentType()).startsWith("application/problem+json");
        assertThat(submitted.problemType()).isEqualTo(ProblemType.LIMIT_EXCEEDED.uri().toString());
        assertThat(submitted.json().get("field").asString()).isEqualTo("definition");
        assertThat(submitted.json().get("detail").asString()).contains("task 't0'").contains("maxPayloadBytes");
        // and every replica goes on: live, ready, in agreement, taking new work
        assertEveryReplicaHealthyAndAgreeing();
        RawHttp.Response small = RawHttp.postJson(follower, "/api/v1/workflows", submitWithBlob("amplify", 10));
        assertThat(small.status()).as(small.body()).isEqualTo(201);
        assertEveryReplicaHealthyAndAgreeing();
    }

    @Test
    void shouldAnswerAFullStateWith429AndRetryAfterWhileRunningWorkGoesOn() {
        EngineSettings before = cluster.client(0).engineSettings();
        try {
            // given a cluster whose state budget two 200 KiB workflows fill
            EngineSettings set = cluster.client(0).updateEngineSettings(new EngineSettings(null, null, null, null, null,
                    null, 512L * KIB, before.stateBytes() + 600L * KIB, null, null));
            assertThat(set.maxStateBytes()).isEqualTo(before.stateBytes() + 600L * KIB);
            String inline = "{\"tasks\": [{\"id\": \"a\", \"type\": \"budget\"}], \"input\": {\"blob\": \""
                    + "x".repeat(200 * KIB) + "\"}}";
            RawHttp.Response last;
            int accepted = 0;
            do {
                last = RawHttp.postJson(follower, "/api/v1/workflows", inline);
                accepted += last.status() == 201 ? 1 : 0;
            } while (last.status() == 201 && accepted < 10);
            // then new work is refused with 429 state-budget and a Retry-After, once the budget is spent
            assertThat(accepted).isBetween(1, 3);
            assertThat(last.status()).as(last.body()).isEqualTo(429);
            assertThat(last.problemType()).isEqualTo(ProblemType.STATE_BUDGET.uri().toString());
            assertThat(last.json().get("reason").asString()).isEqualTo("state-budget");
            assertThat(PrometheusScrape.of(cluster.managementUri(followerIndex))
                    .sum("flowraft_http_refused_total", "status", "429", "reason", "state-budget")).isPositive();
            assertThat(last.retryAfter()).isNotNull();
            assertThat(Integer.parseInt(last.retryAfter())).isPositive();
            // and the replicas agree and stay healthy
            assertEveryReplicaHealthyAndAgreeing();
        } finally {
            cluster.client(0).updateEngineSettings(new EngineSettings(null, null, null, null, null, null,
                    before.maxWorkflowBytes(), before.maxStateBytes(), null, null));
        }
    }

    @Test
    void shouldShowTheSameCommittedLimitsOnEveryNode() {
        EngineSettings first = cluster.client(0).engineSettings();
        assertThat(first.configured()).isTrue();
        for (int i = 1; i < cluster.size(); i++) {
            EngineSettings other = cluster.client(i).engineSettings();
            assertThat(other.maxPayloadBytes()).isEqualTo(first.maxPayloadBytes());
            assertThat(other.maxWorkflowBytes()).isEqualTo(first.maxWorkflowBytes());
            assertThat(other.maxStateBytes()).isEqualTo(first.maxStateBytes());
        }
        // a limit out of range is a 400 naming it, and changes nothing
        RawHttp.Response tooBig = RawHttp.send(java.net.http.HttpRequest.newBuilder(
                        follower.resolve("/api/v1/cluster/engine-settings")).header("Content-Type", "application/json")
                .PUT(java.net.http.HttpRequest.BodyPublishers.ofString("{\"maxPayloadBytes\": 1073741824}")));
        assertThat(tooBig.status()).as(tooBig.body()).isEqualTo(400);
        assertThat(tooBig.json().get("field").asString()).isEqualTo("maxPayloadBytes");
        assertThat(cluster.client(0).engineSettings().maxPayloadBytes()).isEqualTo(first.maxPayloadBytes());
    }
}
