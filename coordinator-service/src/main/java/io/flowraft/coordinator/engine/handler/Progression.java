package io.flowraft.coordinator.engine.handler;

import io.flowraft.contracts.TaskStatus;
import io.flowraft.contracts.TriggerRule;
import io.flowraft.contracts.WorkflowStatus;
import io.flowraft.coordinator.engine.event.Event.TaskFailed;
import io.flowraft.coordinator.engine.event.Event.TaskReadied;
import io.flowraft.coordinator.engine.event.Event.TaskRetryScheduled;
import io.flowraft.coordinator.engine.event.Event.TaskSkipped;
import io.flowraft.coordinator.engine.event.Event.WorkflowCompleted;
import io.flowraft.coordinator.engine.event.Event.WorkflowFailed;
import io.flowraft.coordinator.engine.expression.ConditionResult;
import io.flowraft.coordinator.engine.expression.Conditions;
import io.flowraft.coordinator.engine.expression.InputTemplate;
import io.flowraft.coordinator.engine.expression.RenderResult;
import io.flowraft.coordinator.engine.expression.UpstreamTask;
import io.flowraft.coordinator.engine.model.DagPlan;
import io.flowraft.coordinator.engine.model.TaskSpec;
import io.flowraft.coordinator.engine.state.TaskState;
import io.flowraft.coordinator.engine.state.WorkflowState;
import java.util.ArrayDeque;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * Moves a workflow forward: decides, for each task whose dependencies have all finished, whether it runs
 * (READY, with its input rendered), is SKIPPED (trigger rule or condition) or FAILED (the condition or the
 * input could not be evaluated), and ends the workflow once no task is left unfinished. Shared by every
 * handler that finishes a task. Dependents are examined in spec order, so the events are deterministic.
 */
public final class Progression {

    private final Conditions conditions;

    public Progression(Conditions conditions) {
        this.conditions = conditions;
    }

    /** Resolves the root tasks of a workflow that was just submitted. */
    public void start(WorkflowState workflow, EventWriter events) {
        ArrayDeque<Integer> work = new ArrayDeque<>();
        for (int i = 0; i < workflow.plan().size(); i++) {
            if (workflow.plan().dependencies(i).length == 0) {
                work.add(i);
            }
        }
        drain(workflow, work, events);
    }

    /** Resolves what a task that just became terminal unblocks, and ends the workflow if it is done. */
    public void afterTerminal(TaskState task, EventWriter events) {
        WorkflowState workflow = task.workflow();
        ArrayDeque<Integer> work = new ArrayDeque<>();
        addDependents(workflow.plan(), task.position(), work);
        drain(workflow, work, events);
    }

    /**
     * Ends an attempt that failed or whose lease expired: schedules a retry after the backoff while attempts
     * remain and the failure is retryable, otherwise fails the task for good.
     */
    public void failAttempt(TaskState task, long fencingToken, String error, boolean retryable, EventWriter events) {
        TaskSpec spec = task.spec();
        String workflowId = task.workflow().id();
        if (retryable && task.attempt() < spec.retry().maxAttempts()) {
            long notBefore = events.now() + spec.retry().backoffAfter(task.attempt());
            events.append(new TaskRetryScheduled(workflowId, task.taskId(), fencingToken, error, notBefore));
        } else {
            String reason = retryable
                    ? error + " (attempt " + task.attempt() + " of " + spec.retry().maxAttempts() + ")"
                    : error;
            events.append(new TaskFailed(workflowId, task.taskId(), fencingToken, reason));
            afterTerminal(task, events);
        }
    }

    private void drain(WorkflowState workflow, ArrayDeque<Integer> work, EventWriter events) {
        DagPlan plan = workflow.plan();
        while (!work.isEmpty()) {
            int position = work.poll();
            TaskState task = workflow.tasks().get(position);
            if (task.status() != TaskStatus.PENDING || !allDependenciesFinished(workflow, position)) {
                continue;
            }
            resolve(workflow, task, events);
            if (task.status().isTerminal()) {
                addDependents(plan, position, work);
            }
        }
        if (workflow.status() == WorkflowStatus.RUNNING && workflow.unfinishedTasks() == 0) {
            String failed = firstFailed(workflow);
            events.append(failed == null
                    ? new WorkflowCompleted(workflow.id())
                    : new WorkflowFailed(workflow.id(), "task '" + failed + "' failed"));
        }
    }

    private void resolve(WorkflowState workflow, TaskState task, EventWriter events) {
        TaskSpec spec = task.spec();
        String unmet = unmetTrigger(workflow, task.position(), spec.trigger());
        if (unmet != null) {
            events.append(new TaskSkipped(workflow.id(), spec.id(), unmet));
            return;
        }
        if (spec.when() != null) {
            ConditionResult result = conditions.evaluate(spec.when(), workflow.input(), upstream(workflow, task));
            switch (result) {
                case ConditionResult.True t -> {
                }
                case ConditionResult.False f -> {
                    events.append(new TaskSkipped(workflow.id(), spec.id(), "condition is false: " + spec.when()));
                    return;
                }
                case ConditionResult.Failed f -> {
                    events.append(new TaskFailed(workflow.id(), spec.id(), 0,
                            "condition could not be evaluated: " + f.message()));
                    return;
                }
            }
        }
        String input = spec.input() == null ? "{}" : spec.input();
        if (workflow.plan().hasTemplatedInput(task.position())) {
            RenderResult rendered = InputTemplate.render(input, workflow.input(), upstreamOutputs(workflow, task));
            switch (rendered) {
                case RenderResult.Rendered r -> input = r.json();
                case RenderResult.Failed f -> {
                    events.append(new TaskFailed(workflow.id(), spec.id(), 0,
                            "input could not be rendered: " + f.message()));
                    return;
                }
            }
        }
        events.append(new TaskReadied(workflow.id(), spec.id(), input, 0));
    }

    /** Why the trigger rule does not hold, or null when it does. All dependencies are finished. */
    private static String unmetTrigger(WorkflowState workflow, int position, TriggerRule rule) {
        int[] deps = workflow.plan().dependencies(position);
        if (deps.length == 0) {
            return null;
        }
        int completed = 0;
        String firstNotCompleted = null;
        String firstFailed = null;
        for (int dep : deps) {
            TaskState d = workflow.tasks().get(dep);
            if (d.status() == TaskStatus.COMPLETED) {
                completed++;
            } else if (firstNotCompleted == null) {
                firstNotCompleted = d.taskId() + "' is " + d.status();
            }
            if (firstFailed == null && (d.status() == TaskStatus.FAILED || d.status() == TaskStatus.CANCELLED)) {
                firstFailed = d.taskId() + "' is " + d.status();
            }
        }
        return switch (rule) {
            case ALL_SUCCESS -> firstNotCompleted == null ? null
                    : "trigger ALL_SUCCESS not met: dependency '" + firstNotCompleted;
            case ALL_DONE -> null;
            case ONE_SUCCESS -> completed > 0 ? null : "trigger ONE_SUCCESS not met: no dependency completed";
            case NONE_FAILED -> firstFailed == null ? null : "trigger NONE_FAILED not met: dependency '" + firstFailed;
        };
    }

    private SortedMap<String, UpstreamTask> upstream(WorkflowState workflow, TaskState task) {
        SortedMap<String, UpstreamTask> upstream = new TreeMap<>();
        for (int a : workflow.plan().ancestors(task.position())) {
            TaskState t = workflow.tasks().get(a);
            upstream.put(t.taskId(), new UpstreamTask(t.status().name(), t.output(), t.attempt()));
        }
        return upstream;
    }

    private static SortedMap<String, String> upstreamOutputs(WorkflowState workflow, TaskState task) {
        SortedMap<String, String> outputs = new TreeMap<>();
        for (int a : workflow.plan().ancestors(task.position())) {
            TaskState t = workflow.tasks().get(a);
            if (t.output() != null) {
                outputs.put(t.taskId(), t.output());
            }
        }
        return outputs;
    }

    private static boolean allDependenciesFinished(WorkflowState workflow, int position) {
        for (int dep : workflow.plan().dependencies(position)) {
            if (!workflow.tasks().get(dep).status().isTerminal()) {
                return false;
            }
        }
        return true;
    }

    private static void addDependents(DagPlan plan, int position, ArrayDeque<Integer> work) {
        for (int dependent : plan.dependents(position)) {
            work.add(dependent);
        }
    }

    private static String firstFailed(WorkflowState workflow) {
        for (TaskState task : workflow.tasks()) {
            if (task.status() == TaskStatus.FAILED) {
                return task.taskId();
            }
        }
        return null;
    }
}
