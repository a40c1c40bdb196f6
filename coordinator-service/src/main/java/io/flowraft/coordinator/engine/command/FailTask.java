package io.flowraft.coordinator.engine.command;

/** Reports failure of the attempt held under {@code leaseId}; a retryable failure is retried while attempts remain. */
public record FailTask(long now, String leaseId, String error, boolean retryable) implements Command {
}
