package io.flowraft.coordinator.engine.command;

/** Reports success of the attempt held under {@code leaseId}, with the task output as compact JSON text. */
public record CompleteTask(long now, String leaseId, String output) implements Command {
}
