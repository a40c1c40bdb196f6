package io.flowraft.coordinator.engine.simulation;

import io.flowraft.contracts.TaskStatus;
import io.flowraft.contracts.WorkflowStatus;
import io.flowraft.coordinator.engine.model.TaskSpec;
import io.flowraft.coordinator.engine.state.EngineReadState;
import io.flowraft.coordinator.engine.state.HistoryEntry;
import io.flowraft.coordinator.engine.state.TaskState;
import io.flowraft.coordinator.engine.state.WorkflowState;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A copy of the engine state as the checks need it, taken before and after every step: the engine's own
 * objects are live and mutable, so "what it was before this command" has to be copied out.
 */
record Observation(long lastFencingToken, Map<String, Workflow> workflows) {

    record Workflow(
            String id, WorkflowStatus status, int unfinishedTasks, List<Task> tasks, List<HistoryEntry> history) {

        Task task(String taskId) {
            for (Task task : tasks) {
                if (task.spec().id().equals(taskId)) {
                    return task;
                }
            }
            return null;
        }
    }

    record Task(
            String workflowId,
            TaskSpec spec,
            TaskStatus status,
            int attempt,
            String output,
            String error,
            long fencingToken,
            String leaseWorker,
            long leaseExpiresAt,
            long leaseDeadline,
            long leaseMs,
            long notBefore,
            long readySeq,
            long finishedAt) {

        String key() {
            return workflowId + "/" + spec.id();
        }

        String leaseId() {
            return workflowId + "." + spec.id() + "." + fencingToken;
        }

        /** Whether a report under this token, stamped {@code now}, names the lease the task is held under. */
        boolean heldUnder(long token, long now) {
            return status == TaskStatus.LEASED && fencingToken == token && now < leaseExpiresAt;
        }

        /** What a terminal task must keep forever. */
        List<Object> terminalFacts() {
            return List.of(status, attempt, String.valueOf(output), String.valueOf(error), fencingToken, finishedAt);
        }
    }

    static Observation of(EngineReadState state) {
        Map<String, Workflow> workflows = new LinkedHashMap<>();
        for (WorkflowState w : state.workflows().values()) {
            List<Task> tasks = new ArrayList<>(w.tasks().size());
            for (TaskState t : w.tasks()) {
                tasks.add(new Task(w.id(), t.spec(), t.status(), t.attempt(), t.output(), t.error(), t.fencingToken(),
                        t.leaseWorker(), t.leaseExpiresAt(), t.leaseDeadline(), t.leaseMs(), t.notBefore(),
                        t.readySeq(), t.finishedAt()));
            }
            workflows.put(w.id(), new Workflow(w.id(), w.status(), w.unfinishedTasks(), List.copyOf(tasks),
                    List.copyOf(w.history())));
        }
        return new Observation(state.lastFencingToken(), workflows);
    }

    Task task(String workflowId, String taskId) {
        Workflow w = workflows.get(workflowId);
        return w == null ? null : w.task(taskId);
    }
}
