package io.flowraft.worker.it;

import static io.flowraft.worker.it.TestWorkers.startWorker;
import static io.flowraft.worker.it.TestWorkers.submit;
import static io.flowraft.worker.it.TestWorkers.task;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.flowraft.contracts.TaskStatus;
import io.flowraft.contracts.WorkflowStatus;
import io.flowraft.contracts.WorkflowView;
import io.flowraft.contracts.client.FlowRaftClient;
import io.flowraft.coordinator.testing.InProcessCluster;
import io.flowraft.worker.runtime.WorkerMetrics;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Workers against three coordinators that serve HTTPS with a certificate of a CA made for this test
 * ({@code flowraft.worker.tls.ca-file}): with the CA file a worker runs tasks to completion; without it every
 * poll fails its TLS handshake and nothing is leased; an unreadable CA file stops the worker at start.
 */
class WorkerTlsTest {

    static {
        // SOFA's logback bridge does not fit logback 1.5; it must be off before any SOFA class loads.
        System.setProperty("logback.middleware.log.disable", "true");
    }

    private static final Duration PATIENCE = Duration.ofSeconds(30);

    private static InProcessCluster cluster;
    private static FlowRaftClient client;

    @BeforeAll
    static void startCluster() {
        cluster = new InProcessCluster(3).withTls();
        cluster.startAll(); // @AfterAll stops what started if this fails
        client = cluster.client(0);
    }

    @AfterAll
    static void stopCluster() {
        if (cluster != null) {
            cluster.close();
        }
    }

    private static WorkflowView awaitStatus(String workflowId, WorkflowStatus status) {
        return await().atMost(PATIENCE).pollInterval(Duration.ofMillis(50))
                .until(() -> client.getWorkflow(workflowId), view -> view.status() == status);
    }

    @Test
    void shouldRunTasksAgainstHttpsCoordinatorsWithTheCaFile() {
        assertThat(cluster.baseUris()).startsWith("https://");
        try (ConfigurableApplicationContext worker = startWorker(cluster.baseUris(), "tls-worker",
                Map.of("tls.ca-file", cluster.tlsCaFile().toString()))) {
            // given a two-task workflow on HTTPS coordinators
            WorkflowView submitted = submit(client,
                    task("a", "echo", "{\"n\": 7}", List.of()),
                    task("b", "echo", "{\"fromA\": \"${tasks.a.output.n}\"}", List.of("a")));

            // when the worker that trusts the CA runs it, then both tasks complete with their outputs
            WorkflowView done = awaitStatus(submitted.id(), WorkflowStatus.COMPLETED);
            assertThat(TestWorkers.task(done, "b").output().get("fromA").asInt()).isEqualTo(7);
            // and it was this worker that ran them (it counts a task once its report is answered)
            await().atMost(PATIENCE).until(() -> TestWorkers.count(worker, WorkerMetrics.TASKS, "type", "echo",
                    "outcome", "completed") == 2);
        }
    }

    @Test
    void shouldLeaseNothingWithoutTheCaFile() {
        try (ConfigurableApplicationContext worker = startWorker(cluster.baseUris(), "untrusting-worker", Map.of(),
                new TestWorkers.Answer("tls-untrusted", "untrusting"))) {
            // given a task of a type only this worker (which trusts the JDK's defaults alone) handles
            WorkflowView submitted = submit(client, task("a", "tls-untrusted", "{}", List.of()));

            // when its polls have failed on every coordinator (the TLS handshake) at least twice
            await().atMost(PATIENCE).until(() -> failedPolls(worker) >= 2 * cluster.size());

            // then the task was never leased
            assertThat(TestWorkers.task(client.getWorkflow(submitted.id()), "a").status()).isEqualTo(TaskStatus.READY);
        }
    }

    @Test
    void shouldNotStartWithAnUnreadableCaFile() {
        Path missing = cluster.tlsCaFile().resolveSibling("no-such-ca.pem");

        assertThatThrownBy(() -> startWorker(cluster.baseUris(), "misconfigured-worker",
                Map.of("tls.ca-file", missing.toString())).close())
                .rootCause().hasMessageContaining(missing.toString());
    }

    private static long failedPolls(ConfigurableApplicationContext worker) {
        Timer timer = worker.getBean(MeterRegistry.class).find(WorkerMetrics.POLL).tag("result", "error").timer();
        return timer == null ? 0 : timer.count();
    }
}
