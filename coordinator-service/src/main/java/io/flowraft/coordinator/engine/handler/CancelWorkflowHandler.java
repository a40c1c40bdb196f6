package io.flowraft.coordinator.engine.handler;

import io.flowraft.contracts.ProblemType;
import io.flowraft.contracts.WorkflowStatus;
import io.flowraft.coordinator.engine.CommandResult;
import io.flowraft.coordinator.engine.CommandResult.Rejection;
import io.flowraft.coordinator.engine.CommandResult.WorkflowCancelled;
import io.flowraft.coordinator.engine.command.CancelWorkflow;
import io.flowraft.coordinator.engine.event.Event;
import io.flowraft.coordinator.engine.state.EngineReadState;
import io.flowraft.coordinator.engine.state.TaskState;
import io.flowraft.coordinator.engine.state.WorkflowState;
import io.flowraft.coordinator.engine.validation.Payloads;

/**
 * Cancels a running workflow: every unfinished task becomes CANCELLED, which revokes outstanding leases
 * (their reports are then stale). Cancelling a cancelled workflow again changes nothing and succeeds; a
 * workflow that completed or failed cannot be cancelled.
 */
final class CancelWorkflowHandler implements CommandHandler<CancelWorkflow> {

    @Override
    public CommandResult handle(CancelWorkflow command, EngineReadState state, EventWriter events) {
        WorkflowState workflow = state.workflow(command.workflowId());
        if (workflow == null) {
            return Rejection.onField(ProblemType.WORKFLOW_NOT_FOUND, "workflowId",
                    "No workflow '" + command.workflowId() + "'");
        }
        if (workflow.status() == WorkflowStatus.CANCELLED) {
            return new WorkflowCancelled(workflow.id(), true);
        }
        if (workflow.status().isTerminal()) {
            return Rejection.onField(ProblemType.WORKFLOW_FINISHED, "workflowId",
                    "Workflow '" + workflow.id() + "' already " + workflow.status() + " and cannot be cancelled");
        }
        for (TaskState task : workflow.tasks()) {
            if (!task.status().isTerminal()) {
                events.append(new Event.TaskCancelled(workflow.id(), task.taskId()));
            }
        }
        String reason = command.reason() == null || command.reason().isBlank() ? "cancelled" : command.reason();
        events.append(new Event.WorkflowCancelled(workflow.id(), Payloads.truncate(reason, state.limits().maxErrorBytes())));
        return new WorkflowCancelled(workflow.id(), false);
    }
}
