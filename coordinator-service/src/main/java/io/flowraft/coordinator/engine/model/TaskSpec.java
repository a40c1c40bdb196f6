package io.flowraft.coordinator.engine.model;

import io.flowraft.contracts.TriggerRule;
import java.util.List;

/**
 * One task of a workflow DAG as the engine keeps it: immutable, shared by every workflow started from the
 * same definition. The API layer fills in defaults before a spec reaches the engine.
 *
 * @param input     the input template as compact JSON text (see the expression package's InputTemplate)
 * @param when      a CEL condition, or null for "always"
 * @param timeoutMs the longest one attempt may hold its lease, heartbeats included (start-to-close)
 * @param concurrency a cross-workflow limit, or null
 */
public record TaskSpec(
        String id,
        String type,
        List<String> dependsOn,
        String input,
        String when,
        TriggerRule trigger,
        RetryPolicy retry,
        long timeoutMs,
        ConcurrencyLimit concurrency) {

    public static final long DEFAULT_TIMEOUT_MS = 300_000;

    public TaskSpec {
        dependsOn = dependsOn == null ? List.of() : List.copyOf(dependsOn);
    }
}
