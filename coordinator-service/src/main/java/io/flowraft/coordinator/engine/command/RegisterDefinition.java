package io.flowraft.coordinator.engine.command;

import io.flowraft.coordinator.engine.model.TaskSpec;
import java.util.List;

/**
 * Registers a version of a named DAG. Registering the same content again is a no-op.
 *
 * @param version the version to register, or 0 for "the next one" (or the latest, if its content is the same)
 */
public record RegisterDefinition(long now, String name, int version, List<TaskSpec> tasks) implements Command {

    public RegisterDefinition {
        tasks = tasks == null ? null : List.copyOf(tasks);
    }
}
