package io.flowraft.coordinator.engine.model;

import java.util.List;

/** A registered, immutable version of a named workflow DAG. */
public record WorkflowDefinition(String name, int version, List<TaskSpec> tasks, long registeredAt) {

    public WorkflowDefinition {
        tasks = List.copyOf(tasks);
    }

    public String ref() {
        return name + "@" + version;
    }
}
