package io.flowraft.coordinator.engine.handler;

import io.flowraft.contracts.ProblemType;
import io.flowraft.contracts.TaskStatus;
import io.flowraft.coordinator.engine.CommandResult;
import io.flowraft.coordinator.engine.CommandResult.Rejection;
import io.flowraft.coordinator.engine.CommandResult.TaskReported;
import io.flowraft.coordinator.engine.EngineLimits;
import io.flowraft.coordinator.engine.command.CompleteTask;
import io.flowraft.coordinator.engine.event.Event;
import io.flowraft.coordinator.engine.state.EngineReadState;
import io.flowraft.coordinator.engine.state.StateSizes;
import io.flowraft.coordinator.engine.state.TaskState;
import io.flowraft.coordinator.engine.validation.Payloads;
import java.util.Objects;

/**
 * Commits a task's success under its current lease, then moves the workflow on. The same completion sent
 * again (same lease, same output) is answered as before with {@code duplicate=true} and changes nothing;
 * anything else under a lease that is not current is stale.
 */
final class CompleteTaskHandler implements CommandHandler<CompleteTask> {

    /** How the failure of a completion whose output the workflow has no room for begins, to recognise its repeat. */
    static final String NO_ROOM_FOR_OUTPUT = "output refused: ";

    private final Progression progression;

    CompleteTaskHandler(Progression progression) {
        this.progression = progression;
    }

    @Override
    public CommandResult handle(CompleteTask command, EngineReadState state, EventWriter events) {
        EngineLimits limits = state.limits();
        String output = command.output() == null ? "null" : command.output();
        long outputBytes = Payloads.utf8Length(output);
        if (outputBytes > limits.maxPayloadBytes()) {
            return Rejection.onField(ProblemType.LIMIT_EXCEEDED, "output",
                    "Task output may be at most " + limits.maxPayloadBytes() + " bytes of JSON");
        }
        return switch (LeaseLookup.find(command.leaseId(), command.principal(), state, command.now())) {
            case LeaseLookup.Rejected r -> r.rejection();
            case LeaseLookup.Current c -> {
                TaskState task = c.task();
                long held = task.workflow().heldBytes();
                if (held + outputBytes + StateSizes.HISTORY_ENTRY > limits.maxWorkflowBytes()) {
                    // The attempt ran; its result cannot be kept. Retrying would produce it again: fail for good.
                    events.append(new Event.TaskFailed(task.workflow().id(), task.taskId(), c.lease().fencingToken(),
                            NO_ROOM_FOR_OUTPUT + "an output of " + outputBytes + " bytes would take the workflow past its "
                                    + "maxWorkflowBytes (" + limits.maxWorkflowBytes() + "; it holds " + held + ")"));
                    progression.afterTerminal(task, limits, events);
                    yield new TaskReported(command.leaseId(), task.workflow().id(), task.taskId(), TaskStatus.FAILED, false);
                }
                events.append(new Event.TaskCompleted(task.workflow().id(), task.taskId(), c.lease().fencingToken(), output));
                progression.afterTerminal(task, limits, events);
                yield new TaskReported(command.leaseId(), task.workflow().id(), task.taskId(), TaskStatus.COMPLETED, false);
            }
            case LeaseLookup.NotCurrent n -> {
                TaskState task = n.task();
                boolean underThisLease = task.fencingToken() == n.lease().fencingToken();
                if (underThisLease && task.status() == TaskStatus.FAILED && task.error() != null
                        && task.error().startsWith(NO_ROOM_FOR_OUTPUT)) {
                    yield new TaskReported(command.leaseId(), task.workflow().id(), task.taskId(), TaskStatus.FAILED, true);
                }
                boolean completedUnderThisLease = underThisLease && task.status() == TaskStatus.COMPLETED;
                if (!completedUnderThisLease) {
                    yield LeaseLookup.stale("complete", task, n.lease());
                }
                if (!Objects.equals(task.output(), output)) {
                    yield Rejection.onField(ProblemType.REPORT_CONFLICT, "output",
                            "Task '" + task.taskId() + "' of workflow '" + task.workflow().id()
                                    + "' was already completed under lease " + n.lease() + " with a different output");
                }
                yield new TaskReported(command.leaseId(), task.workflow().id(), task.taskId(), TaskStatus.COMPLETED, true);
            }
        };
    }
}
