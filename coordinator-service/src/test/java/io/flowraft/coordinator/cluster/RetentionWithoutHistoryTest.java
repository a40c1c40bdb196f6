package io.flowraft.coordinator.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.flowraft.contracts.EngineSettings;
import io.flowraft.contracts.RegisterDefinitionRequest;
import io.flowraft.contracts.SubmitWorkflowRequest;
import io.flowraft.contracts.TaskSpec;
import io.flowraft.contracts.WorkflowStatus;
import io.flowraft.contracts.WorkflowSummary;
import io.flowraft.contracts.WorkflowView;
import io.flowraft.contracts.client.FlowRaftClient;
import io.flowraft.contracts.client.FlowRaftProblemException;
import io.flowraft.contracts.client.WorkflowListQuery;
import io.flowraft.contracts.json.FlowRaftJson;
import io.flowraft.coordinator.testing.InProcessCluster;
import io.flowraft.coordinator.testing.LoopingWorker;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A coordinator without a database applies the same retention, and the past of an evicted workflow is gone: it is
 * 404 and out of the list, while its idempotency key still answers the same workflow id until the key expires.
 */
class RetentionWithoutHistoryTest {

    private InProcessCluster cluster;
    private LoopingWorker worker;

    @AfterEach
    void tearDown() throws Exception {
        if (worker != null) {
            worker.close();
        }
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void shouldEvictFinishedWorkflowsAndForgetThemWithoutADatabase() {
        // given one coordinator without history, finished workflows kept one second, keys thirty
        cluster = new InProcessCluster(1, "--flowraft.retention.finished-after=1s",
                "--flowraft.retention.idempotency-keys=30s").startAll();
        cluster.awaitLeader(Duration.ofSeconds(10));
        FlowRaftClient client = cluster.client(0);
        EngineSettings settings = await().atMost(Duration.ofSeconds(10)).until(client::engineSettings,
                s -> s.clusterId() != null);
        assertThat(settings.finishedRetentionMs()).isEqualTo(1_000L);
        assertThat(settings.idempotencyKeyRetentionMs()).isEqualTo(30_000L);
        client.registerDefinition(new RegisterDefinitionRequest("quick", null,
                List.of(new TaskSpec("only", "work", List.of(), null, null, null, null, 30_000L, null))));
        long before = client.engineSettings().stateBytes();
        worker = new LoopingWorker("no-history", "work", () -> client);
        SubmitWorkflowRequest request = new SubmitWorkflowRequest("quick", null,
                FlowRaftJson.mapper().createObjectNode().put("n", 1), null);

        // when a workflow runs to its end
        WorkflowView submitted = client.submitWorkflow(request, "forgotten-1");
        assertThat(client.awaitWorkflow(submitted.id(), Duration.ofSeconds(30)).status()).isEqualTo(WorkflowStatus.COMPLETED);

        // then, once its retention has passed, it is gone: from reads, its history and the list
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200)).ignoreExceptions()
                .untilAsserted(() -> assertThatThrownBy(() -> client.getWorkflow(submitted.id()))
                        .isInstanceOfSatisfying(FlowRaftProblemException.class, e -> assertThat(e.status()).isEqualTo(404)));
        assertThatThrownBy(() -> client.history(submitted.id()))
                .isInstanceOfSatisfying(FlowRaftProblemException.class, e -> assertThat(e.status()).isEqualTo(404));
        assertThat(client.listWorkflows(WorkflowListQuery.all(500)).items()).extracting(WorkflowSummary::id)
                .doesNotContain(submitted.id());
        // and a cancel says so too
        assertThatThrownBy(() -> client.cancel(submitted.id(), "late"))
                .isInstanceOfSatisfying(FlowRaftProblemException.class, e -> assertThat(e.status()).isEqualTo(404));
        // but its key still answers the same workflow (200, its id only: there is nothing more to show)
        WorkflowView repeat = client.submitWorkflow(request, "forgotten-1");
        assertThat(repeat.id()).isEqualTo(submitted.id());
        assertThat(repeat.status()).isNull();
        // and the state went back to what it held before the workflow, its key's tombstone and the worker's poll
        // record aside
        assertThat(client.engineSettings().stateBytes()).isLessThan(before + 1_024);
    }
}
