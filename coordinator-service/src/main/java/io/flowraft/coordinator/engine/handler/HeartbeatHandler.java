package io.flowraft.coordinator.engine.handler;

import io.flowraft.coordinator.engine.CommandResult;
import io.flowraft.coordinator.engine.CommandResult.LeaseExtended;
import io.flowraft.coordinator.engine.command.Heartbeat;
import io.flowraft.coordinator.engine.event.Event;
import io.flowraft.coordinator.engine.state.EngineReadState;
import io.flowraft.coordinator.engine.state.TaskState;

/**
 * Extends a current lease by its lease length from now, but never past the attempt's deadline (lease start
 * plus the task's timeout): heartbeats keep a slow task alive, they cannot keep it forever.
 */
final class HeartbeatHandler implements CommandHandler<Heartbeat> {

    @Override
    public CommandResult handle(Heartbeat command, EngineReadState state, EventWriter events) {
        return switch (LeaseLookup.find(command.leaseId(), command.principal(), state, command.now())) {
            case LeaseLookup.Rejected r -> r.rejection();
            case LeaseLookup.NotCurrent n -> LeaseLookup.stale("heartbeat", n.task(), n.lease());
            case LeaseLookup.Current c -> {
                TaskState task = c.task();
                long expiresAt = Math.min(command.now() + task.leaseMs(), task.leaseDeadline());
                if (expiresAt > task.leaseExpiresAt()) {
                    events.append(new Event.LeaseExtended(task.workflow().id(), task.taskId(), task.fencingToken(), expiresAt));
                }
                yield new LeaseExtended(command.leaseId(), task.leaseExpiresAt(), task.leaseExpiresAt() - command.now());
            }
        };
    }
}
