package io.flowraft.coordinator.engine.command;

/** Cancels a running workflow: unfinished tasks become CANCELLED and their leases stop being valid. */
public record CancelWorkflow(long now, String workflowId, String reason) implements Command {
}
