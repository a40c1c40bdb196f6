package io.flowraft.coordinator.engine.command;

/**
 * Extends the lease {@code leaseId} by its lease length, never past the task's timeout.
 *
 * @param principal who heartbeats; see {@link CompleteTask#principal()}
 */
public record Heartbeat(long now, String leaseId, String principal) implements Command {

    /** A heartbeat that names no principal: accepted only for a lease that has no owner either. */
    public Heartbeat(long now, String leaseId) {
        this(now, leaseId, null);
    }
}
