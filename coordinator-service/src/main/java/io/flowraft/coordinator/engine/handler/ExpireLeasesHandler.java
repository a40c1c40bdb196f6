package io.flowraft.coordinator.engine.handler;

import io.flowraft.coordinator.engine.CommandResult;
import io.flowraft.coordinator.engine.CommandResult.LeasesExpired;
import io.flowraft.coordinator.engine.command.ExpireLeases;
import io.flowraft.coordinator.engine.event.Event;
import io.flowraft.coordinator.engine.state.EngineReadState;
import io.flowraft.coordinator.engine.state.TaskState;
import java.util.List;

/**
 * Ends the leases due at the command's stamp, oldest expiry first: the task's attempt counts as a
 * retryable failure, so it is retried after its backoff or fails once attempts run out. Harmless to repeat.
 * At most {@value #MAX_PER_COMMAND} per command, so that a burst of expiries (after a long pause of the
 * leader, say) cannot make one command unboundedly long; the scheduler proposes again while any are due.
 */
final class ExpireLeasesHandler implements CommandHandler<ExpireLeases> {

    static final int MAX_PER_COMMAND = 1_000;

    private final Progression progression;

    ExpireLeasesHandler(Progression progression) {
        this.progression = progression;
    }

    @Override
    public CommandResult handle(ExpireLeases command, EngineReadState state, EventWriter events) {
        List<TaskState> due = state.leasesDueBy(command.now(), MAX_PER_COMMAND);
        for (TaskState task : due) {
            long token = task.fencingToken();
            events.append(new Event.LeaseExpired(task.workflow().id(), task.taskId(), token));
            progression.failAttempt(task, token, "lease " + task.leaseId() + " expired (worker " + task.leaseWorker()
                    + " did not report in time)", true, state.limits(), events);
        }
        return new LeasesExpired(due.size());
    }
}
