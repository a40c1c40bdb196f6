package io.flowraft.worker.it;

import static io.flowraft.worker.it.TestWorkers.json;
import static io.flowraft.worker.it.TestWorkers.startWorker;
import static io.flowraft.worker.it.TestWorkers.task;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.flowraft.contracts.SubmitWorkflowRequest;
import io.flowraft.contracts.TaskStatus;
import io.flowraft.contracts.TraceParent;
import io.flowraft.contracts.WorkflowStatus;
import io.flowraft.contracts.WorkflowView;
import io.flowraft.contracts.json.FlowRaftJson;
import io.flowraft.coordinator.testing.InProcessCluster;
import io.flowraft.worker.runtime.WorkerClock;
import io.flowraft.worker.spi.TaskContext;
import io.flowraft.worker.spi.TaskHandler;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.springframework.context.ApplicationContextInitializer;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.support.GenericApplicationContext;
import tools.jackson.databind.JsonNode;

/**
 * One trace from submit to the last task: the submit's trace context is kept in the replicated state, so it
 * survives a leader change, every lease carries it, each worker's task span is a child of the submit span, and each
 * report span a child of its task's span. Spans of every coordinator and the worker are collected in memory.
 * Owns its cluster.
 */
class TracingTest {

    private static final String CLIENT_TRACE = "4bf92f3577b34da6a3ce929d0e0e4736";
    private static final String CLIENT_SPAN = "00f067aa0ba902b7";
    /** Spans leave each context every 100 ms instead of Boot's 5 s. */
    private static final Map<String, String> FAST_EXPORT = Map.of(
            "management.opentelemetry.tracing.export.schedule-delay", "100ms");

    private final InMemorySpanExporter spans = InMemorySpanExporter.create();
    private final ApplicationContextInitializer<ConfigurableApplicationContext> collect = context ->
            ((GenericApplicationContext) context).registerBean("testSpanExporter", SpanExporter.class,
                    () -> new CollectingSpanExporter(spans));

    @Test
    void shouldFollowAChainOfThreeTasksInOneTraceAcrossALeaderFailover() throws Exception {
        InProcessCluster coordinators = new InProcessCluster(3,
                FAST_EXPORT.entrySet().stream().map(e -> "--" + e.getKey() + "=" + e.getValue()).toArray(String[]::new))
                .withInitializer(collect);
        HeldSecondStep steps = new HeldSecondStep();
        try (CoordinatorCluster cluster = CoordinatorCluster.start(coordinators);
                ConfigurableApplicationContext worker = startWorker(cluster.uris(), "tracing-1", Map.of(), FAST_EXPORT,
                        collect, WorkerClock.system(), steps)) {
            // given a chain a -> b -> c submitted to a follower under the caller's trace
            int leader = cluster.awaitLeader();
            int follower = (leader + 1) % 3;
            String traceparent = "00-" + CLIENT_TRACE + "-" + CLIENT_SPAN + "-01";
            HttpResponse<String> submitted = submit(cluster.uri(follower), traceparent,
                    new SubmitWorkflowRequest(null, List.of(task("a", "step", null, List.of()),
                            task("b", "step", null, List.of("a")), task("c", "step", null, List.of("b"))), null, null));
            assertThat(submitted.statusCode()).isEqualTo(201);
            WorkflowView view = FlowRaftJson.mapper().readValue(submitted.body(), WorkflowView.class);
            assertThat(view.traceId()).isEqualTo(CLIENT_TRACE);
            String workflowId = view.id();

            // when the leader stops once the first task is done (the second is held running meanwhile)
            assertThat(steps.secondRunning.await(30, TimeUnit.SECONDS)).isTrue();
            assertThat(cluster.client(follower).getWorkflow(workflowId).tasks().getFirst().status())
                    .isEqualTo(TaskStatus.COMPLETED);
            cluster.stop(leader);
            int newLeader = cluster.awaitLeader();
            steps.release();

            // then the workflow completes under the new leader, still in the caller's trace
            WorkflowView done = await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100))
                    .ignoreExceptions().until(() -> cluster.client(newLeader).getWorkflow(workflowId),
                            v -> v.status() == WorkflowStatus.COMPLETED);
            assertThat(done.traceId()).isEqualTo(CLIENT_TRACE);

            // and one trace holds the submit span, three task spans (its children) and their reports (theirs)
            await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(100)).untilAsserted(() -> {
                List<SpanData> trace = inTrace(CLIENT_TRACE);
                assertThat(named(trace, "flowraft.submit")).hasSize(1);
                assertThat(named(trace, "flowraft.task")).hasSize(3);
                assertThat(named(trace, "flowraft.report").stream().filter(s -> "200".equals(attribute(s, "flowraft.status"))))
                        .hasSize(3);
            });
            List<SpanData> trace = inTrace(CLIENT_TRACE);
            SpanData submit = named(trace, "flowraft.submit").getFirst();
            // up from the submit span through the request's spans (server, security filters) to the caller's span
            SpanData top = submit;
            List<String> path = new java.util.ArrayList<>(List.of(submit.getName()));
            for (SpanData up = submit; up != null; ) {
                top = up;
                String parent = up.getParentSpanId();
                up = trace.stream().filter(s -> s.getSpanId().equals(parent)).findFirst().orElse(null);
                if (up != null) {
                    path.add(up.getName());
                }
            }
            assertThat(path).as("from the submit span up").hasSizeGreaterThan(1);
            assertThat(top.getParentSpanId()).as("the request continues the caller's span (%s)", path).isEqualTo(CLIENT_SPAN);
            assertThat(attribute(submit, "flowraft.workflow_id")).isEqualTo(workflowId);
            assertThat(named(trace, "flowraft.commit")).anySatisfy(
                    commit -> assertThat(commit.getParentSpanId()).isEqualTo(submit.getSpanId()));
            assertThat(named(trace, "flowraft.lease")).hasSizeGreaterThanOrEqualTo(3)
                    .allSatisfy(lease -> assertThat(lease.getParentSpanId()).isEqualTo(submit.getSpanId()));

            List<SpanData> tasks = named(trace, "flowraft.task");
            assertThat(tasks).extracting(s -> attribute(s, "flowraft.task_id")).containsExactlyInAnyOrder("a", "b", "c");
            for (SpanData taskSpan : tasks) {
                assertThat(taskSpan.getParentSpanId()).isEqualTo(submit.getSpanId());
                assertThat(attribute(taskSpan, "flowraft.workflow_id")).isEqualTo(workflowId);
                assertThat(attribute(taskSpan, "flowraft.task_type")).isEqualTo("step");
                assertThat(attribute(taskSpan, "flowraft.attempt")).isEqualTo("1");
                String taskId = attribute(taskSpan, "flowraft.task_id");
                // every report of the task continues its span; one of them was committed
                List<SpanData> reports = named(trace, "flowraft.report").stream()
                        .filter(r -> attribute(r, "flowraft.lease_id").startsWith(workflowId + "." + taskId + ".")).toList();
                assertThat(reports).isNotEmpty()
                        .allSatisfy(r -> assertThat(r.getParentSpanId()).isEqualTo(taskSpan.getSpanId()))
                        .anySatisfy(r -> assertThat(attribute(r, "flowraft.status")).isEqualTo("200"));
            }
        }
    }

    @Test
    void shouldStartATraceForASubmitWithoutOneAndIgnoreAMalformedHeader() throws Exception {
        try (CoordinatorCluster cluster = CoordinatorCluster.start(new InProcessCluster(1).withInitializer(collect))) {
            SubmitWorkflowRequest request = new SubmitWorkflowRequest(null, List.of(task("a", "nobody", null, List.of())),
                    null, null);
            for (String header : new String[] {null, "00-not-a-trace", "00-" + "0".repeat(32) + "-" + CLIENT_SPAN + "-01"}) {
                HttpResponse<String> response = submit(cluster.uri(0), header, request);
                assertThat(response.statusCode()).as(header).isEqualTo(201);
                WorkflowView view = FlowRaftJson.mapper().readValue(response.body(), WorkflowView.class);
                assertThat(view.traceId()).as(header).matches("[0-9a-f]{32}").isNotEqualTo("0".repeat(32));
                assertThat(cluster.client(0).getWorkflow(view.id()).traceId()).isEqualTo(view.traceId());
            }
        }
    }

    private static HttpResponse<String> submit(URI coordinator, String traceparent, SubmitWorkflowRequest request)
            throws Exception {
        HttpRequest.Builder builder = HttpRequest.newBuilder(coordinator.resolve("/api/v1/workflows"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(FlowRaftJson.mapper().writeValueAsBytes(request)));
        if (traceparent != null) {
            builder.header(TraceParent.HEADER, traceparent);
        }
        try (HttpClient client = HttpClient.newHttpClient()) {
            return client.send(builder.build(), HttpResponse.BodyHandlers.ofString());
        }
    }

    private List<SpanData> inTrace(String traceId) {
        return spans.getFinishedSpanItems().stream().filter(s -> s.getTraceId().equals(traceId)).toList();
    }

    private static List<SpanData> named(List<SpanData> trace, String name) {
        return trace.stream().filter(s -> s.getName().equals(name)).toList();
    }

    private static String attribute(SpanData span, String key) {
        return span.getAttributes().asMap().entrySet().stream().filter(e -> e.getKey().getKey().equals(key))
                .map(e -> String.valueOf(e.getValue())).findFirst().orElse(null);
    }

    /** Type {@code step}: task b waits until released, so the test can stop the leader while it runs. */
    private static final class HeldSecondStep implements TaskHandler<JsonNode, Map<String, Object>> {

        final CountDownLatch secondRunning = new CountDownLatch(1);
        private final CountDownLatch released = new CountDownLatch(1);

        @Override
        public String type() {
            return "step";
        }

        @Override
        public Map<String, Object> handle(JsonNode input, TaskContext context) throws InterruptedException {
            if (context.taskId().equals("b")) {
                secondRunning.countDown();
                released.await();
            }
            return Map.of("task", context.taskId());
        }

        void release() {
            released.countDown();
        }
    }
}
