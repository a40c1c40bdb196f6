package io.flowraft.coordinator.engine.command;

/** Extends the lease {@code leaseId} by its lease length, never past the task's timeout. */
public record Heartbeat(long now, String leaseId) implements Command {
}
