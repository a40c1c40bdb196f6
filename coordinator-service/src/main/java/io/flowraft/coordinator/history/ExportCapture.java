package io.flowraft.coordinator.history;

import io.flowraft.contracts.TraceParent;
import io.flowraft.coordinator.engine.model.TaskSpec;
import io.flowraft.coordinator.engine.state.EngineReadState;
import io.flowraft.coordinator.engine.state.HistoryEntry;
import io.flowraft.coordinator.engine.state.TaskState;
import io.flowraft.coordinator.engine.state.WorkflowState;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * What the exporter takes from the replicated state for one batch, copied while applies wait (the state's
 * objects are live): whole log entries of the outbox, oldest first, so that every line up to the batch's
 * {@code throughIndex} is in it, each changed workflow's fields, its history (a copy of the list, the lines are
 * immutable) and the tasks its new lines name (all of them when the workflow starts or ends in the range). Turning that into rows ({@link ExportRows}) happens after, with
 * the state free again.
 *
 * @param afterIndex   the export position: lines after it are new
 * @param throughIndex the last log index whose lines are all in this capture
 */
record ExportCapture(long afterIndex, long throughIndex, List<Workflow> workflows) {

    record Workflow(String id, String definitionRef, String status, String input, String idempotencyKey,
            long createdAt, long finishedAt, String traceId, List<HistoryEntry> history, List<Task> tasks) {
    }

    /** A task as it stands now. */
    record Task(String taskId, int position, String type, List<String> dependsOn, int attempt, String status,
            String workerId, long fencingToken, String input, String output, String error, long readyAt,
            long leaseExpiresAt, long finishedAt) {
    }

    /**
     * Takes the oldest unexported entries, up to about {@code maxWorkflows} workflows (an entry is never split),
     * or nothing when all is exported.
     */
    static ExportCapture take(EngineReadState state, int maxWorkflows) {
        long after = state.exportedThrough();
        long through = after;
        Set<String> changed = new LinkedHashSet<>();
        for (Map.Entry<Long, ? extends Set<String>> entry : state.unexported().entrySet()) {
            if (!changed.isEmpty() && changed.size() + entry.getValue().size() > maxWorkflows) {
                break;
            }
            changed.addAll(entry.getValue());
            through = entry.getKey();
        }
        List<Workflow> workflows = new ArrayList<>(changed.size());
        for (String id : changed) {
            WorkflowState workflow = state.workflow(id);
            if (workflow != null) {
                workflows.add(copy(workflow, after));
            }
        }
        return new ExportCapture(after, through, workflows);
    }

    private static Workflow copy(WorkflowState workflow, long after) {
        List<HistoryEntry> history = List.copyOf(workflow.history());
        // Tasks named by new lines; and every task when the workflow starts or ends in this range, so that history
        // holds each task from the first export on, and as it ended (a task may end without a line of its own).
        Set<String> named = new TreeSet<>();
        boolean everyTask = false;
        for (int i = history.size() - 1; i >= 0 && history.get(i).index() > after; i--) {
            HistoryEntry line = history.get(i);
            if (line.taskId() != null) {
                named.add(line.taskId());
            }
            everyTask |= line.taskId() == null;
        }
        List<Task> tasks = new ArrayList<>(everyTask ? workflow.tasks().size() : named.size());
        for (String taskId : everyTask ? workflow.tasks().stream().map(TaskState::taskId).toList() : named) {
            TaskState task = workflow.task(taskId);
            TaskSpec spec = task.spec();
            tasks.add(new Task(taskId, task.position(), spec.type(), spec.dependsOn(), task.attempt(),
                    task.status().name(), task.leaseWorker(), task.fencingToken(), task.input(), task.output(),
                    task.error(), task.readyAt(), task.leaseExpiresAt(), task.finishedAt()));
        }
        return new Workflow(workflow.id(), workflow.definitionRef(), workflow.status().name(), workflow.input(),
                workflow.idempotencyKey(), workflow.createdAt(), workflow.finishedAt(),
                TraceParent.traceId(workflow.traceParent()), history, tasks);
    }
}
