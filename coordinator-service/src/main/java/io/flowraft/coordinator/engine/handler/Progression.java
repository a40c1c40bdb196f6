package io.flowraft.coordinator.engine.handler;

import io.flowraft.contracts.TaskStatus;
import io.flowraft.contracts.TriggerRule;
import io.flowraft.contracts.WorkflowStatus;
import io.flowraft.coordinator.engine.EngineLimits;
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
import io.flowraft.coordinator.engine.state.StateSizes;
import io.flowraft.coordinator.engine.state.TaskState;
import io.flowraft.coordinator.engine.state.WorkflowState;
import io.flowraft.coordinator.engine.validation.Payloads;
import java.util.ArrayDeque;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * Moves a workflow forward: decides, for each task whose dependencies have all finished, whether it runs
 * (READY, with its input rendered), is SKIPPED (trigger rule or condition) or FAILED (the condition or the
 * input could not be evaluated, or the input would pass a bound), and ends the workflow once no task is left
 * unfinished. Shared by every handler that finishes a task. Dependents are examined in spec order, so the
 * events are deterministic.
 *
 * <p>Bounds. A rendered input may hold at most {@code maxPayloadBytes}, and never more than the workflow has
 * left of its {@code maxWorkflowBytes}; rendering stops as soon as the output passes that, so a template that
 * copies a large input many times costs no more than the bound. At submit the first tasks' inputs are known at
 * once, so a submit they would overflow is refused as a whole ({@link Overflow}); later, the task that would
 * overflow fails for good with the reason. A retry is scheduled only while the workflow has room for it.
 */
public final class Progression {

    /**
     * What all the conditions one command evaluates may cost together: five evaluations at the per-condition
     * bound, about a second; thousands of ordinary conditions (tens of units each).
     */
    public static final long CONDITION_COST_PER_COMMAND = 5_000_000;

    private final Conditions conditions;

    public Progression(Conditions conditions) {
        this.conditions = conditions;
    }

    /**
     * Why a workflow cannot start as submitted: the input or the condition of one of its first tasks would pass
     * a bound.
     *
     * @param position the task's position in the DAG
     * @param member   the member of the task spec at fault: {@code input} or {@code when}
     */
    public record Overflow(int position, String member, String message) {
    }

    /**
     * Resolves the root tasks of a workflow that was just submitted.
     *
     * @return null, or the overflow that makes the submit impossible: the caller rejects the command, which
     *     undoes the events written so far
     */
    public Overflow start(WorkflowState workflow, EngineLimits limits, EventWriter events) {
        Run run = new Run(workflow, limits, events, true);
        ArrayDeque<Integer> work = new ArrayDeque<>();
        for (int i = 0; i < workflow.plan().size(); i++) {
            if (workflow.plan().dependencies(i).length == 0) {
                work.add(i);
            }
        }
        run.drain(work);
        return run.overflow;
    }

    /** Resolves what a task that just became terminal unblocks, and ends the workflow if it is done. */
    public void afterTerminal(TaskState task, EngineLimits limits, EventWriter events) {
        Run run = new Run(task.workflow(), limits, events, false);
        ArrayDeque<Integer> work = new ArrayDeque<>();
        addDependents(task.workflow().plan(), task.position(), work);
        run.drain(work);
    }

    /**
     * Ends an attempt that failed or whose lease expired: schedules a retry after the backoff while attempts
     * remain, the failure is retryable and the workflow has room for another attempt's records; otherwise fails
     * the task for good.
     */
    public void failAttempt(TaskState task, long fencingToken, String error, boolean retryable, EngineLimits limits,
            EventWriter events) {
        TaskSpec spec = task.spec();
        WorkflowState workflow = task.workflow();
        boolean attemptsLeft = task.attempt() < spec.retry().maxAttempts();
        // Another attempt adds a few history lines (scheduled, leased, maybe expired) and keeps the error.
        long retryCost = 4L * StateSizes.HISTORY_ENTRY + 2 * StateSizes.of(error);
        boolean room = workflow.heldBytes() + retryCost <= limits.maxWorkflowBytes();
        if (retryable && attemptsLeft && room) {
            long notBefore = events.now() + spec.retry().backoffAfter(task.attempt());
            events.append(new TaskRetryScheduled(workflow.id(), task.taskId(), fencingToken, error, notBefore));
            return;
        }
        String why = !retryable ? ""
                : !attemptsLeft ? " (attempt " + task.attempt() + " of " + spec.retry().maxAttempts() + ")"
                : " (not retried: the workflow holds " + workflow.heldBytes() + " bytes, its maxWorkflowBytes is "
                        + limits.maxWorkflowBytes() + ")";
        // The error is cut, not the reason after it: a long error must not hide why there was no retry.
        String reason = Payloads.truncate(error, Math.max(16, limits.maxErrorBytes() - (int) StateSizes.of(why))) + why;
        events.append(new TaskFailed(workflow.id(), task.taskId(), fencingToken, reason));
        afterTerminal(task, limits, events);
    }

    private static void addDependents(DagPlan plan, int position, ArrayDeque<Integer> work) {
        for (int dependent : plan.dependents(position)) {
            work.add(dependent);
        }
    }

    /** One resolution pass over a workflow, within one command. */
    private final class Run {
        private final WorkflowState workflow;
        private final EngineLimits limits;
        private final EventWriter events;
        /** At submit: an overflow refuses the submit instead of failing the task. */
        private final boolean strict;
        private Overflow overflow;

        Run(WorkflowState workflow, EngineLimits limits, EventWriter events, boolean strict) {
            this.workflow = workflow;
            this.limits = limits;
            this.events = events;
            this.strict = strict;
        }

        void drain(ArrayDeque<Integer> work) {
            DagPlan plan = workflow.plan();
            while (!work.isEmpty()) {
                int position = work.poll();
                TaskState task = workflow.tasks().get(position);
                if (task.status() != TaskStatus.PENDING || !allDependenciesFinished(workflow, position)) {
                    continue;
                }
                resolve(task);
                if (overflow != null) {
                    return;
                }
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

        private void resolve(TaskState task) {
            TaskSpec spec = task.spec();
            String unmet = unmetTrigger(workflow, task.position(), spec.trigger());
            if (unmet != null) {
                events.append(new TaskSkipped(workflow.id(), spec.id(), unmet));
                return;
            }
            if (spec.when() != null) {
                ConditionResult result = conditions.evaluate(spec.when(), workflow.input(), upstream(workflow, task),
                        events.parsed(), events.conditionBudget());
                if (strict && events.conditionBudget().exhausted()) {
                    overflow = new Overflow(task.position(), "when", "conditions of its first tasks cost more together than "
                            + "one command may spend (" + CONDITION_COST_PER_COMMAND + " units), the condition of task '"
                            + task.taskId() + "' included");
                    return;
                }
                switch (result) {
                    case ConditionResult.True t -> {
                    }
                    case ConditionResult.False f -> {
                        events.append(new TaskSkipped(workflow.id(), spec.id(),
                                Payloads.truncate("condition is false: " + spec.when(), limits.maxErrorBytes())));
                        return;
                    }
                    case ConditionResult.Failed f -> {
                        fail(spec, "condition could not be evaluated: " + f.message());
                        return;
                    }
                }
            }
            String input = spec.input() == null ? "{}" : spec.input();
            long room = limits.maxWorkflowBytes() - workflow.heldBytes() - StateSizes.HISTORY_ENTRY;
            int maxLength = (int) Math.max(0, Math.min(limits.maxPayloadBytes(), room));
            if (workflow.plan().hasTemplatedInput(task.position())) {
                RenderResult rendered = InputTemplate.render(input, workflow.input(), upstreamOutputs(workflow, task),
                        maxLength, events.parsed());
                switch (rendered) {
                    case RenderResult.Rendered r -> input = r.json();
                    case RenderResult.TooLarge t -> {
                        tooLarge(task, room, null);
                        return;
                    }
                    case RenderResult.Failed f -> {
                        fail(spec, "input could not be rendered: " + f.message());
                        return;
                    }
                }
            }
            long bytes = StateSizes.of(input);
            if (bytes > limits.maxPayloadBytes() || bytes > room) {
                tooLarge(task, room, bytes);
                return;
            }
            events.append(new TaskReadied(workflow.id(), spec.id(), input, 0));
        }

        /**
         * The task's input would pass {@code maxPayloadBytes} or the workflow's room.
         *
         * @param bytes its size, or null when rendering stopped at the bound before it was known
         */
        private void tooLarge(TaskState task, long room, Long bytes) {
            String renders = "input of task '" + task.taskId() + "' renders to "
                    + (bytes == null ? "more than" : bytes + " bytes, more than");
            String message = room < limits.maxPayloadBytes()
                    ? renders + " the " + Math.max(room, 0) + " bytes the workflow has left of its maxWorkflowBytes ("
                            + limits.maxWorkflowBytes() + ")"
                    : renders + " maxPayloadBytes (" + limits.maxPayloadBytes() + " bytes)";
            if (strict) {
                overflow = new Overflow(task.position(), "input", message);
            } else {
                fail(task.spec(), message);
            }
        }

        private void fail(TaskSpec spec, String reason) {
            events.append(new TaskFailed(workflow.id(), spec.id(), 0, Payloads.truncate(reason, limits.maxErrorBytes())));
        }
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

    private static SortedMap<String, UpstreamTask> upstream(WorkflowState workflow, TaskState task) {
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

    private static String firstFailed(WorkflowState workflow) {
        for (TaskState task : workflow.tasks()) {
            if (task.status() == TaskStatus.FAILED) {
                return task.taskId();
            }
        }
        return null;
    }
}
