package io.flowraft.coordinator.api.mapping;

import io.flowraft.contracts.TaskStatus;
import io.flowraft.contracts.TaskView;
import io.flowraft.contracts.TraceParent;
import io.flowraft.contracts.WorkflowStatus;
import io.flowraft.contracts.WorkflowSummary;
import io.flowraft.contracts.WorkflowView;
import io.flowraft.coordinator.engine.model.LeaseId;
import io.flowraft.coordinator.engine.state.TaskState;
import io.flowraft.coordinator.engine.state.WorkflowState;
import io.flowraft.coordinator.history.ExportedTask;
import io.flowraft.coordinator.history.ExportedWorkflow;
import io.flowraft.coordinator.history.WorkflowSummaryRow;
import java.util.ArrayList;
import java.util.List;

/**
 * Builds workflow views in two steps: {@link #capture} copies the plain values out of the live state (quick,
 * runs under the state lock, no JSON parsing), then {@link Captured#toView} parses JSON and builds the contract
 * records outside the lock. Strings are immutable, so copying their references is a copy.
 *
 * <p>Lease ids are shown to admins only: a lease id names what a report or heartbeat acts on, and although the
 * engine refuses those from any principal but the lease's owner, a view has no reason to hand them out. Workers
 * get their own lease ids in poll answers.
 */
public final class WorkflowViews {

    private WorkflowViews() {
    }

    /** The values of one workflow at one point of the log; {@code null} for an unknown workflow. */
    public static Captured capture(WorkflowState workflow) {
        if (workflow == null) {
            return null;
        }
        List<CapturedTask> tasks = new ArrayList<>(workflow.tasks().size());
        for (TaskState task : workflow.tasks()) {
            tasks.add(captureTask(task));
        }
        return new Captured(workflow.id(), workflow.definitionRef(), workflow.status(), workflow.input(), tasks,
                workflow.createdAt(), workflow.finishedAt(), WorkflowView.LIVE, TraceParent.traceId(workflow.traceParent()));
    }

    /** A workflow read back from history: each task at its latest attempt. */
    public static Captured fromHistory(ExportedWorkflow workflow) {
        List<CapturedTask> tasks = new ArrayList<>(workflow.tasks().size());
        for (ExportedTask task : workflow.tasks()) {
            TaskStatus status = TaskStatus.valueOf(task.status());
            boolean leased = status == TaskStatus.LEASED;
            tasks.add(new CapturedTask(task.taskId(), task.type(), status, task.attempt(), task.input(),
                    status == TaskStatus.COMPLETED ? task.output() : null, task.error(), task.dependsOn(), task.readyAt(),
                    leased ? new LeaseId(workflow.id(), task.taskId(), task.fencingToken()).toString() : null,
                    leased ? task.workerId() : null, leased ? task.leaseExpiresAt() : 0,
                    status.isTerminal() ? task.finishedAt() : 0));
        }
        return new Captured(workflow.id(), workflow.definitionRef(), WorkflowStatus.valueOf(workflow.status()),
                workflow.input(), tasks, workflow.createdAt(), workflow.finishedAt(), WorkflowView.HISTORY,
                workflow.traceId());
    }

    public static WorkflowSummary summary(WorkflowSummaryRow row) {
        return new WorkflowSummary(row.id(), row.definitionRef(), WorkflowStatus.valueOf(row.status()),
                Times.instant(row.createdAt()), Times.instant(row.finishedAt()));
    }

    public static WorkflowSummary summary(WorkflowState workflow) {
        return new WorkflowSummary(workflow.id(), workflow.definitionRef(), workflow.status(),
                Times.instant(workflow.createdAt()), Times.instant(workflow.finishedAt()));
    }

    private static CapturedTask captureTask(TaskState task) {
        boolean leased = task.status() == TaskStatus.LEASED;
        return new CapturedTask(task.taskId(), task.spec().type(), task.status(), task.attempt(), task.input(),
                task.status() == TaskStatus.COMPLETED ? task.output() : null, task.error(), task.spec().dependsOn(),
                readyAt(task), leased ? task.leaseId() : null, leased ? task.leaseWorker() : null,
                leased ? task.leaseExpiresAt() : 0, task.status().isTerminal() ? task.finishedAt() : 0);
    }

    /** When the task may next be leased: the end of a retry backoff if one is running, else when it became READY. */
    private static long readyAt(TaskState task) {
        if (task.status() == TaskStatus.PENDING) {
            return 0;
        }
        if (task.status() == TaskStatus.READY && task.notBefore() > task.readyAt()) {
            return task.notBefore();
        }
        return task.readyAt();
    }

    /** A workflow's values, detached from the live state. */
    public record Captured(String id, String definition, WorkflowStatus status, String input,
            List<CapturedTask> tasks, long createdAt, long finishedAt, String source, String traceId) {

        /** @param withLeaseIds whether the caller may see lease ids (an admin); without, {@code leaseId} is left out */
        public WorkflowView toView(boolean withLeaseIds) {
            List<TaskView> views = new ArrayList<>(tasks.size());
            for (CapturedTask task : tasks) {
                views.add(task.toView(withLeaseIds));
            }
            return new WorkflowView(id, definition, status, JsonText.read(input), views, Times.instant(createdAt),
                    Times.instant(finishedAt), source, traceId);
        }
    }

    /** A task's values, detached from the live state. */
    record CapturedTask(String id, String type, TaskStatus status, int attempt, String input, String output,
            String error, List<String> dependsOn, long readyAt, String leaseId, String workerId, long leaseExpiresAt,
            long finishedAt) {

        TaskView toView(boolean withLeaseIds) {
            return new TaskView(id, type, status, attempt, JsonText.read(input), JsonText.read(output), error,
                    dependsOn, Times.instant(readyAt), withLeaseIds ? leaseId : null, workerId, Times.instant(leaseExpiresAt),
                    Times.instant(finishedAt));
        }
    }
}
