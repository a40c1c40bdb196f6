package io.flowraft.coordinator.engine.simulation;

import io.flowraft.coordinator.engine.model.TaskSpec;
import java.util.List;
import java.util.Map;

/**
 * One generated workflow: an inline DAG, its input, and the Java twin of every {@code when} condition.
 *
 * @param keyed whether it is submitted with an idempotency key (so a second submit is answered, not rejected)
 */
record SimWorkflow(
        String id, List<TaskSpec> tasks, SimInput input, Map<String, SimCondition> conditions, boolean keyed) {

    SimWorkflow {
        tasks = List.copyOf(tasks);
        conditions = Map.copyOf(conditions);
    }

    String idempotencyKey() {
        return keyed ? "key-" + id : null;
    }
}
