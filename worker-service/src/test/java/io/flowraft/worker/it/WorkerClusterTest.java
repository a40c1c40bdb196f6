package io.flowraft.worker.it;

import static io.flowraft.worker.it.TestWorkers.count;
import static io.flowraft.worker.it.TestWorkers.historyKinds;
import static io.flowraft.worker.it.TestWorkers.startWorker;
import static io.flowraft.worker.it.TestWorkers.submit;
import static io.flowraft.worker.it.TestWorkers.task;
import static io.flowraft.worker.it.TestWorkers.worker;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.flowraft.contracts.RetryPolicy;
import io.flowraft.contracts.TaskStatus;
import io.flowraft.contracts.TaskView;
import io.flowraft.contracts.WorkflowStatus;
import io.flowraft.contracts.WorkflowView;
import io.flowraft.contracts.client.FlowRaftClient;
import io.flowraft.contracts.json.FlowRaftJson;
import io.flowraft.worker.it.TestWorkers.Answer;
import io.flowraft.worker.it.TestWorkers.Gate;
import io.flowraft.worker.runtime.WorkerMetrics;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.context.ConfigurableApplicationContext;
import tools.jackson.databind.JsonNode;

/** Workers against a real 3-coordinator cluster: running DAGs, crashes, lost leases, shutdown. */
@ExtendWith(SharedCluster.class)
class WorkerClusterTest {

    private static final Duration PATIENCE = Duration.ofSeconds(30);

    private CoordinatorCluster cluster;
    private FlowRaftClient client;

    @BeforeEach
    void cluster(CoordinatorCluster cluster) {
        this.cluster = cluster;
        this.client = cluster.client(0);
        // Workers of earlier tests are stopped, but their last long polls may still wait, and take this test's tasks.
        await().atMost(PATIENCE).until(() -> cluster.waitingPolls() == 0);
    }

    private WorkflowView awaitStatus(String workflowId, WorkflowStatus status) {
        return await().atMost(PATIENCE).pollInterval(Duration.ofMillis(50))
                .until(() -> client.getWorkflow(workflowId), view -> view.status() == status);
    }

    private TaskView awaitTask(String workflowId, String taskId, TaskStatus status) {
        return await().atMost(PATIENCE).pollInterval(Duration.ofMillis(50))
                .until(() -> task(client.getWorkflow(workflowId), taskId), t -> t.status() == status);
    }

    @Test
    void shouldRunDagToCompletionWithEcho() throws Exception {
        try (ConfigurableApplicationContext worker = startWorker(cluster.uris(), "echo-worker", Map.of())) {
            // given a diamond a -> (b, c) -> d whose inputs use upstream outputs
            WorkflowView submitted = submit(client,
                    task("a", "echo", "{\"n\": 1}", List.of()),
                    task("b", "echo", "{\"fromA\": \"${tasks.a.output.n}\"}", List.of("a")),
                    task("c", "echo", "{\"c\": true}", List.of("a")),
                    task("d", "echo", "{\"fromB\": \"${tasks.b.output.fromA}\"}", List.of("b", "c")));

            // when the worker runs it
            WorkflowView done = awaitStatus(submitted.id(), WorkflowStatus.COMPLETED);

            // then every task completed once, each output its input, the last one carrying a's value through b
            assertThat(done.tasks()).allSatisfy(t -> {
                assertThat(t.status()).isEqualTo(TaskStatus.COMPLETED);
                assertThat(t.attempt()).isEqualTo(1);
                assertThat(t.output()).isEqualTo(t.input());
            });
            assertThat(task(done, "d").output().get("fromB").asInt()).isEqualTo(1);
            // the worker counts a task once its report is answered, which may come after the view shows it
            awaitCount(worker, "echo", "completed", 4);
            // and the worker's metrics are scraped from /actuator/prometheus
            assertThat(scrape(worker)).contains("flowraft_worker_tasks_total{", "outcome=\"completed\"", "type=\"echo\"",
                    "flowraft_worker_task_run_seconds_count{", "flowraft_worker_poll_seconds_count{");
        }
    }

    @Test
    void shouldRecordEveryReportInTheReportLatencyHistogram() throws Exception {
        try (ConfigurableApplicationContext worker = startWorker(cluster.uris(), "noop-worker", Map.of())) {
            // given a chain of three noop tasks
            WorkflowView submitted = submit(client, task("a", "noop", null, List.of()),
                    task("b", "noop", null, List.of("a")), task("c", "noop", null, List.of("b")));

            // when the worker runs it
            WorkflowView done = awaitStatus(submitted.id(), WorkflowStatus.COMPLETED);

            // then noop completed each task without an output
            assertThat(done.tasks()).allSatisfy(t -> assertThat(t.output()).isNull());
            // and /actuator/reportlatency holds one sample per report, as a histogram a harness can decode and merge
            // (a report is recorded once it is answered, which may come after the view shows the workflow done)
            JsonNode latency = await().atMost(PATIENCE).pollInterval(Duration.ofMillis(20))
                    .until(() -> FlowRaftJson.mapper().readTree(get(worker, "/actuator/reportlatency")),
                            l -> l.get("count").asLong() >= 3);
            assertThat(latency.get("count").asLong()).isEqualTo(3);
            assertThat(latency.get("p50").asLong()).isPositive().isLessThanOrEqualTo(latency.get("max").asLong());
            Histogram decoded = Histogram.decodeFromCompressedByteBuffer(
                    ByteBuffer.wrap(Base64.getDecoder().decode(latency.get("histogram").asString())), 0);
            assertThat(decoded.getTotalCount()).isEqualTo(3);
            assertThat(decoded.getMaxValue()).isEqualTo(latency.get("max").asLong());
            assertThat(scrape(worker)).contains("flowraft_worker_report_seconds_count{", "kind=\"completed\"");
        }
    }

    private static void awaitCount(ConfigurableApplicationContext worker, String type, String outcome, double expected) {
        await().atMost(PATIENCE).pollInterval(Duration.ofMillis(20))
                .until(() -> count(worker, WorkerMetrics.TASKS, "type", type, "outcome", outcome), n -> n >= expected);
        assertThat(count(worker, WorkerMetrics.TASKS, "type", type, "outcome", outcome)).isEqualTo(expected);
    }

    private static String scrape(ConfigurableApplicationContext worker) throws Exception {
        return get(worker, "/actuator/prometheus");
    }

    private static String get(ConfigurableApplicationContext worker, String path) throws Exception {
        URI uri = URI.create("http://127.0.0.1:" + worker.getEnvironment().getProperty("local.server.port") + path);
        try (HttpClient http = HttpClient.newHttpClient()) {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(response.statusCode()).isEqualTo(200);
            return response.body();
        }
    }

    @Test
    void shouldCompleteFailNTimesOnAttemptNPlusOne() {
        try (ConfigurableApplicationContext worker = startWorker(cluster.uris(), "flaky-worker", Map.of())) {
            WorkflowView submitted = submit(client,
                    task("flaky", "fail-n-times", "{\"times\": 2}", new RetryPolicy(5, 0L, 1.0, 0L), null));

            WorkflowView done = awaitStatus(submitted.id(), WorkflowStatus.COMPLETED);

            TaskView flaky = task(done, "flaky");
            assertThat(flaky.attempt()).isEqualTo(3);
            assertThat(flaky.output().get("attempt").asInt()).isEqualTo(3);
            assertThat(TestWorkers.retriedErrors(client, submitted.id())).satisfiesExactly(
                    e -> assertThat(e).contains("Failing attempt 1 of 2 on purpose"),
                    e -> assertThat(e).contains("Failing attempt 2 of 2 on purpose"));
            // the worker counts a task once its report is answered, which may come after the view shows it
            awaitCount(worker, "fail-n-times", "failed-retryable", 2);
        }
    }

    @Test
    void shouldFailATaskForGoodWhenItsInputHasTheWrongJsonType() {
        try (ConfigurableApplicationContext worker = startWorker(cluster.uris(), "typed-worker", Map.of())) {
            // given built-in handlers whose inputs hold a number as a string and a fraction where a count belongs
            RetryPolicy retries = new RetryPolicy(5, 0L, 1.0, 0L);
            WorkflowView flaky = submit(client, task("flaky", "fail-n-times", "{\"times\": \"2\"}", retries, null));
            WorkflowView nap = submit(client, task("nap", "sleep", "{\"ms\": 2.5}", retries, null));

            // when the worker takes them
            TaskView flakyDone = task(awaitStatus(flaky.id(), WorkflowStatus.FAILED), "flaky");
            TaskView napDone = task(awaitStatus(nap.id(), WorkflowStatus.FAILED), "nap");

            // then neither ran on a guessed value: each failed at once, for good, naming the member
            assertThat(flakyDone.attempt()).isEqualTo(1);
            assertThat(flakyDone.error()).startsWith("Input does not fit").contains("\"times\"");
            assertThat(napDone.attempt()).isEqualTo(1);
            assertThat(napDone.error()).startsWith("Input does not fit").contains("\"ms\"");
            // the worker counts a task once its report is answered, which may come after the view shows it
            awaitCount(worker, "fail-n-times", "failed-terminal", 1);
        }
    }

    @Test
    void shouldRunAttemptTwoElsewhereWhenAWorkerDiesMidTask() {
        Gate gate = new Gate("gate-kill", "first");
        // A lease longer than the poll wait (1 s): the dead worker's last long poll, which the coordinator cannot
        // tell from a live one, has ended before the lease expires and cannot take attempt 2.
        ConfigurableApplicationContext first = startWorker(cluster.uris(), "doomed-worker",
                Map.of("lease-duration", "3s"), gate);
        try {
            // given a task held by a worker whose handler never returns
            WorkflowView submitted = submit(client, task("t", "gate-kill", null, new RetryPolicy(3, 0L, 1.0, 0L), null));
            TaskView leased = awaitTask(submitted.id(), "t", TaskStatus.LEASED);
            assertThat(leased.workerId()).isEqualTo("doomed-worker");

            // when that worker dies without a word (no report, no more heartbeats)
            worker(first).kill();
            first.close();
            try (ConfigurableApplicationContext second = startWorker(cluster.uris(), "rescue-worker", Map.of(),
                    new Answer("gate-kill", "second"))) {

                // then the lease expires and the other worker completes attempt 2
                WorkflowView done = awaitStatus(submitted.id(), WorkflowStatus.COMPLETED);
                TaskView t = task(done, "t");
                assertThat(t.attempt()).isEqualTo(2);
                assertThat(t.output().get("by").asString()).isEqualTo("second");
                assertThat(t.output().get("attempt").asInt()).isEqualTo(2);
                assertThat(historyKinds(client, submitted.id())).containsSubsequence("LeaseGranted", "LeaseExpired", "LeaseGranted", "TaskCompleted");
            }
        } finally {
            gate.release();
            first.close();
        }
    }

    @Test
    void shouldDropAReportTheCoordinatorRefuses() throws Exception {
        // given a worker in the middle of a task
        Gate gate = new Gate("gate409", "late");
        try (ConfigurableApplicationContext worker = startWorker(cluster.uris(), "refused-worker", Map.of(), gate)) {
            WorkflowView submitted = submit(client, task("t", "gate409", null, new RetryPolicy(3, 0L, 1.0, 0L), null));
            assertThat(gate.entered.await(PATIENCE.toMillis(), TimeUnit.MILLISECONDS)).isTrue();

            // when the workflow is cancelled, which ends the lease, and only then the handler returns
            WorkflowView cancelled = client.cancel(submitted.id(), "no longer wanted");
            gate.release();

            // then the report is refused (409): counted as a lost lease, and it changes nothing
            await().atMost(PATIENCE).until(() -> count(worker, WorkerMetrics.LEASES_LOST, "type", "gate409", "at", "report") == 1);
            assertThat(count(worker, WorkerMetrics.TASKS, "type", "gate409", "outcome", "lease-lost")).isEqualTo(1);
            assertThat(count(worker, WorkerMetrics.TASKS, "type", "gate409", "outcome", "completed")).isZero();
            assertThat(client.getWorkflow(submitted.id())).isEqualTo(cancelled);
            assertThat(historyKinds(client, submitted.id())).doesNotContain("TaskCompleted");
        } finally {
            gate.release();
        }
    }

    @Test
    void shouldFinishInFlightTasksOnGracefulShutdown() throws Exception {
        // given a worker in the middle of a task
        Gate gate = new Gate("gate-drain", "draining");
        ConfigurableApplicationContext context = startWorker(cluster.uris(), "draining-worker",
                Map.of("shutdown-grace", "20s"), gate);
        WorkflowView submitted = submit(client, task("t", "gate-drain", null, new RetryPolicy(3, 0L, 1.0, 0L), null));
        assertThat(gate.entered.await(PATIENCE.toMillis(), TimeUnit.MILLISECONDS)).isTrue();

        // when it is told to stop (as on SIGTERM) and the task finishes during the grace period
        CompletableFuture<Void> closing = CompletableFuture.runAsync(context::close);
        await().atMost(PATIENCE).until(() -> !worker(context).isRunning());
        assertThat(closing).isNotDone();
        assertThat(worker(context).inFlight()).isEqualTo(1);
        gate.release();
        closing.get(PATIENCE.toMillis(), TimeUnit.MILLISECONDS);

        // then the result was reported before the worker went away: nothing is left LEASED
        WorkflowView view = client.getWorkflow(submitted.id());
        assertThat(view.status()).isEqualTo(WorkflowStatus.COMPLETED);
        assertThat(task(view, "t").attempt()).isEqualTo(1);
        assertThat(task(view, "t").output().get("by").asString()).isEqualTo("draining");
        assertThat(view.tasks()).noneMatch(t -> t.status() == TaskStatus.LEASED);
    }

    @Test
    void shouldFailUnfinishedTasksAsRetryableWhenTheGracePeriodEnds() {
        // given a worker whose task will not finish, and a long retry backoff so nobody re-runs it meanwhile
        Gate gate = new Gate("gate-late", "late");
        ConfigurableApplicationContext context = startWorker(cluster.uris(), "impatient-worker",
                Map.of("shutdown-grace", "500ms"), gate);
        try {
            WorkflowView submitted = submit(client, task("t", "gate-late", null, new RetryPolicy(3, 60_000L, 1.0, 60_000L), null));
            awaitTask(submitted.id(), "t", TaskStatus.LEASED);

            // when it stops and the grace period runs out
            context.close();

            // then the task was handed back at once as a retryable failure, not left to its lease
            TaskView t = task(client.getWorkflow(submitted.id()), "t");
            assertThat(t.status()).isEqualTo(TaskStatus.READY);
            assertThat(t.attempt()).isEqualTo(1);
            assertThat(t.error()).contains("shut down");
            assertThat(t.leaseId()).isNull();
        } finally {
            gate.release();
            context.close();
        }
    }
}
