package io.flowraft.coordinator.api.mapping;

import io.flowraft.contracts.TriggerRule;
import io.flowraft.coordinator.api.error.ApiProblemException;
import io.flowraft.coordinator.engine.model.ConcurrencyLimit;
import io.flowraft.coordinator.engine.model.RetryPolicy;
import io.flowraft.coordinator.engine.model.TaskSpec;
import java.util.ArrayList;
import java.util.List;

/**
 * Maps task specs between the wire and the engine. The engine wants every field resolved, so defaults are
 * filled in here, in one place: trigger {@link TriggerRule#ALL_SUCCESS}, retry {@link RetryPolicy#DEFAULT}
 * field by field, timeout {@link TaskSpec#DEFAULT_TIMEOUT_MS}. Ranges (ids, timeouts, retry bounds, cycles)
 * are the engine's to judge: it rejects them as {@code invalid-dag} naming the field.
 */
public final class TaskSpecMapper {

    private TaskSpecMapper() {
    }

    /** @return {@code null} for {@code null} (no inline DAG), so "definition or tasks" can still be judged */
    public static List<TaskSpec> toEngine(List<io.flowraft.contracts.TaskSpec> specs) {
        if (specs == null) {
            return null;
        }
        List<TaskSpec> tasks = new ArrayList<>(specs.size());
        for (int i = 0; i < specs.size(); i++) {
            tasks.add(toEngine(specs.get(i), "tasks[" + i + "]"));
        }
        return tasks;
    }

    static TaskSpec toEngine(io.flowraft.contracts.TaskSpec spec, String field) {
        return new TaskSpec(
                spec.id(),
                spec.type(),
                spec.dependsOn(),
                JsonText.write(spec.input()),
                spec.when(),
                spec.effectiveTrigger(),
                retry(spec.retry()),
                spec.timeoutMs() == null ? TaskSpec.DEFAULT_TIMEOUT_MS : spec.timeoutMs(),
                concurrency(spec.concurrency(), field + ".concurrency"));
    }

    private static RetryPolicy retry(io.flowraft.contracts.RetryPolicy retry) {
        RetryPolicy defaults = RetryPolicy.DEFAULT;
        if (retry == null) {
            return defaults;
        }
        return new RetryPolicy(
                retry.maxAttempts() != null ? retry.maxAttempts() : defaults.maxAttempts(),
                retry.initialBackoffMs() != null ? retry.initialBackoffMs() : defaults.initialBackoffMs(),
                retry.multiplier() != null ? retry.multiplier() : defaults.multiplier(),
                retry.maxBackoffMs() != null ? retry.maxBackoffMs() : defaults.maxBackoffMs());
    }

    private static ConcurrencyLimit concurrency(io.flowraft.contracts.ConcurrencyLimit limit, String field) {
        if (limit == null) {
            return null;
        }
        if (limit.max() == null) {
            // No default makes sense for a cap: an unstated one is a mistake, not "uncapped".
            throw ApiProblemException.invalid(field + ".max", "A concurrency limit needs 'max', at least 1");
        }
        return new ConcurrencyLimit(limit.key(), limit.max());
    }

    /** The spec as the engine holds it, defaults filled in. */
    public static io.flowraft.contracts.TaskSpec toContract(TaskSpec spec) {
        RetryPolicy retry = spec.retry();
        return new io.flowraft.contracts.TaskSpec(
                spec.id(),
                spec.type(),
                spec.dependsOn(),
                JsonText.read(spec.input()),
                spec.when(),
                spec.trigger(),
                retry == null ? null : new io.flowraft.contracts.RetryPolicy(retry.maxAttempts(),
                        retry.initialBackoffMs(), retry.multiplier(), retry.maxBackoffMs()),
                spec.timeoutMs(),
                spec.concurrency() == null ? null
                        : new io.flowraft.contracts.ConcurrencyLimit(spec.concurrency().key(), spec.concurrency().max()));
    }
}
