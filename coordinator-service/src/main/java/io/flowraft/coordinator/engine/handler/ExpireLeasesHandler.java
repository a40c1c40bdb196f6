package io.flowraft.coordinator.engine.handler;

import io.flowraft.coordinator.engine.CommandResult;
import io.flowraft.coordinator.engine.CommandResult.LeasesExpired;
import io.flowraft.coordinator.engine.command.ExpireLeases;
import io.flowraft.coordinator.engine.event.Event;
import io.flowraft.coordinator.engine.state.EngineReadState;
import io.flowraft.coordinator.engine.state.TaskState;
import java.util.List;

/**
 * Ends every lease due at the command's stamp, oldest expiry first: the task's attempt counts as a
 * retryable failure, so it is retried after its backoff or fails once attempts run out. Harmless to repeat.
 */
final class ExpireLeasesHandler implements CommandHandler<ExpireLeases> {

    private final Progression progression;

    ExpireLeasesHandler(Progression progression) {
        this.progression = progression;
    }

    @Override
    public CommandResult handle(ExpireLeases command, EngineReadState state, EventWriter events) {
        List<TaskState> due = state.leasesDueBy(command.now());
        for (TaskState task : due) {
            long token = task.fencingToken();
            events.append(new Event.LeaseExpired(task.workflow().id(), task.taskId(), token));
            progression.failAttempt(task, token, "lease " + task.leaseId() + " expired (worker " + task.leaseWorker()
                    + " did not report in time)", true, events);
        }
        return new LeasesExpired(due.size());
    }
}
