package io.flowraft.worker.it;

import io.flowraft.contracts.SubmitWorkflowRequest;
import io.flowraft.contracts.TaskSpec;
import io.flowraft.contracts.HistoryEntry;
import io.flowraft.contracts.RetryPolicy;
import io.flowraft.contracts.WorkflowView;
import io.flowraft.contracts.TaskView;
import io.flowraft.contracts.json.FlowRaftJson;
import io.flowraft.contracts.client.FlowRaftClient;
import io.flowraft.worker.WorkerApplication;
import io.flowraft.worker.runtime.Worker;
import io.flowraft.worker.runtime.WorkerClock;
import io.flowraft.worker.spi.TaskContext;
import io.flowraft.worker.spi.TaskHandler;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ApplicationContextInitializer;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.support.GenericApplicationContext;
import tools.jackson.databind.JsonNode;

/** Starting real worker applications (Spring contexts of {@link WorkerApplication}) and building workflows. */
final class TestWorkers {

    private TestWorkers() {
    }

    /**
     * Starts a worker against {@code coordinators} with test-friendly timings (short polls and backoffs) and
     * {@code properties} ({@code flowraft.worker.} prefix implied) on top; {@code handlers} become beans.
     */
    static ConfigurableApplicationContext startWorker(String coordinators, String workerId, Map<String, String> properties,
            TaskHandler<?, ?>... handlers) {
        return startWorker(coordinators, workerId, properties, WorkerClock.system(), handlers);
    }

    private static final List<String> WORKER_HAS_NO_SECURITY = List.of(
            "org.springframework.boot.security.autoconfigure.SecurityAutoConfiguration",
            "org.springframework.boot.security.autoconfigure.UserDetailsServiceAutoConfiguration",
            "org.springframework.boot.security.autoconfigure.actuate.web.servlet.ManagementWebSecurityAutoConfiguration",
            "org.springframework.boot.security.autoconfigure.web.servlet.SecurityFilterAutoConfiguration",
            "org.springframework.boot.security.autoconfigure.web.servlet.ServletWebSecurityAutoConfiguration",
            "org.springframework.boot.security.oauth2.server.resource.autoconfigure.servlet.OAuth2ResourceServerAutoConfiguration");

    /** As {@link #startWorker(String, String, Map, TaskHandler[])}, with the worker reading {@code clock}. */
    static ConfigurableApplicationContext startWorker(String coordinators, String workerId, Map<String, String> properties,
            WorkerClock clock, TaskHandler<?, ?>... handlers) {
        return startWorker(coordinators, workerId, properties, Map.of(), context -> { }, clock, handlers);
    }

    /**
     * As {@link #startWorker(String, String, Map, WorkerClock, TaskHandler[])}, with {@code springProperties} (full
     * names) and an {@code initializer} run on the context before it is refreshed (to register more beans).
     */
    static ConfigurableApplicationContext startWorker(String coordinators, String workerId, Map<String, String> properties,
            Map<String, String> springProperties, ApplicationContextInitializer<ConfigurableApplicationContext> initializer,
            WorkerClock clock, TaskHandler<?, ?>... handlers) {
        // One argument per key: Spring joins repeated command-line keys into a list.
        Map<String, String> settings = new LinkedHashMap<>();
        settings.put("server.port", "0");
        settings.put("spring.main.banner-mode", "off");
        // The coordinators these tests run in-process bring Spring Security onto the class path; a worker as
        // shipped has none, and Boot's default would lock its actuator.
        settings.put("spring.autoconfigure.exclude", String.join(",", WORKER_HAS_NO_SECURITY));
        settings.put("flowraft.worker.coordinators", coordinators);
        settings.put("flowraft.worker.worker-id", workerId);
        settings.put("flowraft.worker.poll-wait", "1s");
        settings.put("flowraft.worker.request-timeout", "5s");
        settings.put("flowraft.worker.backoff-initial", "20ms");
        settings.put("flowraft.worker.backoff-max", "300ms");
        settings.put("flowraft.worker.shutdown-grace", "10s");
        properties.forEach((key, value) -> settings.put("flowraft.worker." + key, value));
        settings.putAll(springProperties);
        String[] arguments = settings.entrySet().stream().map(e -> "--" + e.getKey() + "=" + e.getValue()).toArray(String[]::new);
        return new SpringApplicationBuilder(WorkerApplication.class)
                .initializers(context -> {
                    ((GenericApplicationContext) context).registerBean(WorkerClock.class, () -> clock);
                    for (TaskHandler<?, ?> handler : handlers) {
                        ((GenericApplicationContext) context).registerBean("test-handler-" + handler.type(),
                                TaskHandler.class, () -> handler);
                    }
                }, initializer)
                .run(arguments);
    }

    static Worker worker(ConfigurableApplicationContext context) {
        return context.getBean(Worker.class);
    }

    static double count(ConfigurableApplicationContext context, String name, String... tags) {
        Counter counter = context.getBean(MeterRegistry.class).find(name).tags(tags).counter();
        return counter == null ? 0 : counter.count();
    }

    static JsonNode json(String text) {
        return FlowRaftJson.mapper().readTree(text);
    }

    static TaskSpec task(String id, String type, String input, List<String> dependsOn) {
        return new TaskSpec(id, type, dependsOn, input == null ? null : json(input), null, null,
                new RetryPolicy(3, 0L, 1.0, 0L), null, null);
    }

    static TaskSpec task(String id, String type, String input, RetryPolicy retry, Long timeoutMs) {
        return new TaskSpec(id, type, List.of(), input == null ? null : json(input), null, null, retry, timeoutMs, null);
    }

    static WorkflowView submit(FlowRaftClient client, TaskSpec... tasks) {
        return client.submitWorkflow(new SubmitWorkflowRequest(null, List.of(tasks), null, UUID.randomUUID().toString()));
    }

    /**
     * The errors of the failed attempts that were retried, from the history (a completed task's view no longer
     * shows its last error).
     */
    static List<String> retriedErrors(FlowRaftClient client, String workflowId) {
        return client.history(workflowId).entries().stream()
                .filter(e -> e.kind().equals("TaskRetryScheduled")).map(HistoryEntry::detail).toList();
    }

    /** The kinds of the workflow's history entries, oldest first. */
    static List<String> historyKinds(FlowRaftClient client, String workflowId) {
        return client.history(workflowId).entries().stream().map(HistoryEntry::kind).toList();
    }

    static TaskView task(WorkflowView view, String taskId) {
        return view.tasks().stream().filter(t -> t.id().equals(taskId)).findFirst().orElseThrow();
    }

    /**
     * A handler that blocks until {@link #release()}d, then answers who ran it: lets a test hold a task
     * LEASED for as long as it needs, without sleeping.
     */
    static final class Gate implements TaskHandler<JsonNode, Map<String, Object>> {

        private final String type;
        private final String name;
        final CountDownLatch entered = new CountDownLatch(1);
        private final CountDownLatch released = new CountDownLatch(1);

        Gate(String type, String name) {
            this.type = type;
            this.name = name;
        }

        @Override
        public String type() {
            return type;
        }

        @Override
        public Map<String, Object> handle(JsonNode input, TaskContext context) throws InterruptedException {
            entered.countDown();
            released.await();
            return Map.of("by", name, "attempt", context.attempt());
        }

        void release() {
            released.countDown();
        }
    }

    /** A handler that answers at once with who ran it. */
    record Answer(String type, String name) implements TaskHandler<JsonNode, Map<String, Object>> {

        @Override
        public Map<String, Object> handle(JsonNode input, TaskContext context) {
            return Map.of("by", name, "attempt", context.attempt());
        }
    }
}
