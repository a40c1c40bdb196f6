package io.flowraft.worker.builtin;

import io.flowraft.worker.config.WorkerProperties;
import io.flowraft.worker.spi.TaskContext;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

/** Builds {@code http} handlers and task contexts for tests that call the handler directly. */
final class Handlers {

    private Handlers() {
    }

    static WorkerProperties properties(List<String> allowedHosts, int maxResponseBytes) {
        return new WorkerProperties(List.of(URI.create("http://localhost:8080")), "w",
                Duration.ofSeconds(1), Duration.ofSeconds(30), 4, Duration.ofSeconds(1), Duration.ofSeconds(1),
                Duration.ofMillis(100), Duration.ofSeconds(1), Map.of(),
                new WorkerProperties.Http(allowedHosts, Duration.ofSeconds(5), maxResponseBytes), null, null,
                new WorkerProperties.SecretSettings(null, Map.of()));
    }

    static HttpTaskHandler handler(List<String> allowedHosts) {
        return new HttpTaskHandler(properties(allowedHosts, 1024));
    }

    static HttpTaskHandler handler(List<String> allowedHosts, int maxResponseBytes) {
        return new HttpTaskHandler(properties(allowedHosts, maxResponseBytes));
    }

    /** A context whose lease never runs out and that redacts nothing. */
    static final TaskContext CONTEXT = new StubContext(UnaryOperator.identity());

    /** A context whose lease never runs out, redacting text as {@code redaction} does. */
    record StubContext(UnaryOperator<String> redaction) implements TaskContext {
        public String workflowId() { return "w"; }
        public String taskId() { return "t"; }
        public String type() { return "http"; }
        public int attempt() { return 1; }
        public String idempotencyKey() { return "w/t"; }
        public String leaseId() { return "w.t.1"; }
        public Instant leaseExpiresAt() { return Instant.now().plusSeconds(30); }
        public Instant heartbeat() { return leaseExpiresAt(); }
        public boolean isLeaseLost() { return false; }
        public String redact(String text) { return redaction.apply(text); }
    }
}
