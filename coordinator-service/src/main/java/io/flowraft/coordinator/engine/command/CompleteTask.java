package io.flowraft.coordinator.engine.command;

/**
 * Reports success of the attempt held under {@code leaseId}, with the task output as compact JSON text.
 *
 * @param principal who reports (the authenticated caller): it must be the principal the lease was granted to, or
 *     the report is refused with {@code lease-not-owned}; null only in commands written before leases had owners
 */
public record CompleteTask(long now, String leaseId, String output, String principal) implements Command {

    /** A report that names no principal: accepted only under a lease that has no owner either. */
    public CompleteTask(long now, String leaseId, String output) {
        this(now, leaseId, output, null);
    }
}
