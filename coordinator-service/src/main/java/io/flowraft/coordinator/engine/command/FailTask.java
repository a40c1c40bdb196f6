package io.flowraft.coordinator.engine.command;

/**
 * Reports failure of the attempt held under {@code leaseId}; a retryable failure is retried while attempts remain.
 *
 * @param principal who reports; see {@link CompleteTask#principal()}
 */
public record FailTask(long now, String leaseId, String error, boolean retryable, String principal) implements Command {

    /** A report that names no principal: accepted only under a lease that has no owner either. */
    public FailTask(long now, String leaseId, String error, boolean retryable) {
        this(now, leaseId, error, retryable, null);
    }
}
