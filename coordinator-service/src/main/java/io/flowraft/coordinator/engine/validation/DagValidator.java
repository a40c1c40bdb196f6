package io.flowraft.coordinator.engine.validation;

import io.flowraft.contracts.ProblemType;
import io.flowraft.coordinator.engine.CommandResult.Rejection;
import io.flowraft.coordinator.engine.EngineLimits;
import io.flowraft.coordinator.engine.expression.Conditions;
import io.flowraft.coordinator.engine.expression.InputTemplate;
import io.flowraft.coordinator.engine.model.ConcurrencyLimit;
import io.flowraft.coordinator.engine.model.DagPlan;
import io.flowraft.coordinator.engine.model.Ids;
import io.flowraft.coordinator.engine.model.RetryPolicy;
import io.flowraft.coordinator.engine.model.TaskSpec;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Checks a DAG before anything of it runs: shape, names, limits, dependencies, cycles, conditions and
 * input templates. The first problem found is reported, naming the field ({@code tasks[2].dependsOn[0]})
 * and, for a cycle, the path ({@code a -> b -> a}). Checks run in a fixed order, so the same DAG is always
 * rejected with the same message.
 */
public final class DagValidator {

    /**
     * The most characters of conditions one DAG may carry. Compiling a condition costs a few microseconds per
     * character, inside the command that validates the DAG (on every replica's apply thread); without a bound a
     * 1,000-task DAG of 4,000-character conditions holds it for over ten seconds.
     */
    public static final int MAX_CONDITION_CHARS = 32 * 1024;
    /** The most different conditions one DAG may carry: each costs about half a millisecond to compile. */
    public static final int MAX_DISTINCT_CONDITIONS = 128;

    /** The longest a task may hold one attempt: one day. */
    public static final long MAX_TIMEOUT_MS = 24L * 3600 * 1000;

    private final Conditions conditions;

    public DagValidator(Conditions conditions) {
        this.conditions = conditions;
    }

    /** The outcome: exactly one of {@code plan} and {@code rejection} is set. */
    public record Result(DagPlan plan, Rejection rejection) {

        static Result ok(DagPlan plan) {
            return new Result(plan, null);
        }

        static Result rejected(ProblemType type, String field, String message) {
            return new Result(null, Rejection.onField(type, field, message));
        }

        public boolean isValid() {
            return plan != null;
        }
    }

    /** Checks {@code tasks} against the limits in force. */
    public Result validate(List<TaskSpec> tasks, EngineLimits limits) {
        if (tasks == null || tasks.isEmpty()) {
            return Result.rejected(ProblemType.INVALID_DAG, "tasks", "A workflow needs at least one task");
        }
        if (tasks.size() > limits.maxTasks()) {
            return Result.rejected(ProblemType.LIMIT_EXCEEDED, "tasks",
                    "A DAG may have at most " + limits.maxTasks() + " tasks, this one has " + tasks.size());
        }
        Map<String, Integer> positions = new HashMap<>(tasks.size() * 2);
        for (int i = 0; i < tasks.size(); i++) {
            Result shape = checkShape(tasks.get(i), "tasks[" + i + "]", limits);
            if (shape != null) {
                return shape;
            }
            Integer previous = positions.putIfAbsent(tasks.get(i).id(), i);
            if (previous != null) {
                return Result.rejected(ProblemType.INVALID_DAG, "tasks[" + i + "].id",
                        "Duplicate task id '" + tasks.get(i).id() + "' (also at tasks[" + previous + "])");
            }
        }
        for (int i = 0; i < tasks.size(); i++) {
            Result deps = checkDependencies(tasks.get(i), "tasks[" + i + "]", positions);
            if (deps != null) {
                return deps;
            }
        }
        int[] order = DagPlan.topologicalOrder(tasks);
        if (order == null) {
            return Result.rejected(ProblemType.INVALID_DAG, "tasks",
                    "The DAG has a cycle: " + String.join(" -> ", findCycle(tasks, positions)));
        }
        Result conditionsTooCostly = checkConditionBudget(tasks);
        if (conditionsTooCostly != null) {
            return conditionsTooCostly;
        }
        DagPlan plan = DagPlan.of(tasks, order);
        for (int i = 0; i < tasks.size(); i++) {
            Result expressions = checkExpressions(plan, i, "tasks[" + i + "]");
            if (expressions != null) {
                return expressions;
            }
        }
        return Result.ok(plan);
    }

    private static Result checkShape(TaskSpec task, String at, EngineLimits limits) {
        if (!Ids.isValidId(task.id())) {
            return Result.rejected(ProblemType.INVALID_DAG, at + ".id",
                    "Task id must match " + Ids.ID_RULE + ", was " + quote(task.id()));
        }
        if (!Ids.isValidId(task.type())) {
            return Result.rejected(ProblemType.INVALID_DAG, at + ".type",
                    "Task type must match " + Ids.ID_RULE + ", was " + quote(task.type()));
        }
        if (task.trigger() == null) {
            return Result.rejected(ProblemType.INVALID_DAG, at + ".trigger", "Trigger rule is required");
        }
        if (task.timeoutMs() < 1 || task.timeoutMs() > MAX_TIMEOUT_MS) {
            return Result.rejected(ProblemType.INVALID_DAG, at + ".timeoutMs",
                    "timeoutMs must be between 1 and " + MAX_TIMEOUT_MS + ", was " + task.timeoutMs());
        }
        Result retry = checkRetry(task.retry(), at + ".retry");
        if (retry != null) {
            return retry;
        }
        ConcurrencyLimit concurrency = task.concurrency();
        if (concurrency != null && (!Ids.isValidId(concurrency.key()) || concurrency.max() < 1)) {
            return Result.rejected(ProblemType.INVALID_DAG, at + ".concurrency",
                    "A concurrency limit needs a key matching " + Ids.ID_RULE + " and max >= 1, was "
                            + quote(concurrency.key()) + " / " + concurrency.max());
        }
        if (task.input() != null && Payloads.utf8Length(task.input()) > limits.maxPayloadBytes()) {
            return Result.rejected(ProblemType.LIMIT_EXCEEDED, at + ".input",
                    "Task input may be at most " + limits.maxPayloadBytes() + " bytes of JSON");
        }
        if (task.dependsOn().size() > limits.maxDependencies()) {
            return Result.rejected(ProblemType.LIMIT_EXCEEDED, at + ".dependsOn",
                    "A task may depend on at most " + limits.maxDependencies() + " tasks, '" + task.id() + "' has "
                            + task.dependsOn().size());
        }
        return null;
    }

    /** Compiling conditions is the costly part of validating a DAG: bound it before compiling any. */
    private static Result checkConditionBudget(List<TaskSpec> tasks) {
        long chars = 0;
        Set<String> distinct = new HashSet<>();
        for (TaskSpec task : tasks) {
            if (task.when() != null && distinct.add(task.when())) {
                chars += task.when().length();
            }
        }
        if (chars > MAX_CONDITION_CHARS) {
            return Result.rejected(ProblemType.LIMIT_EXCEEDED, "tasks", "The different conditions ('when') of a DAG may "
                    + "total at most " + MAX_CONDITION_CHARS + " characters, these total " + chars);
        }
        if (distinct.size() > MAX_DISTINCT_CONDITIONS) {
            return Result.rejected(ProblemType.LIMIT_EXCEEDED, "tasks", "A DAG may use at most " + MAX_DISTINCT_CONDITIONS
                    + " different conditions ('when'), this one uses " + distinct.size()
                    + "; tasks may share a condition");
        }
        return null;
    }

    private static Result checkRetry(RetryPolicy retry, String at) {
        if (retry == null) {
            return Result.rejected(ProblemType.INVALID_DAG, at, "Retry policy is required");
        }
        if (retry.maxAttempts() < 1 || retry.maxAttempts() > RetryPolicy.MAX_ATTEMPTS_LIMIT) {
            return Result.rejected(ProblemType.INVALID_DAG, at + ".maxAttempts",
                    "maxAttempts must be between 1 and " + RetryPolicy.MAX_ATTEMPTS_LIMIT + ", was " + retry.maxAttempts());
        }
        if (retry.initialBackoffMs() < 0 || retry.initialBackoffMs() > RetryPolicy.MAX_BACKOFF_LIMIT_MS) {
            return Result.rejected(ProblemType.INVALID_DAG, at + ".initialBackoffMs",
                    "initialBackoffMs must be between 0 and " + RetryPolicy.MAX_BACKOFF_LIMIT_MS + ", was "
                            + retry.initialBackoffMs());
        }
        if (!(retry.multiplier() >= 1.0 && retry.multiplier() <= 100.0)) {
            return Result.rejected(ProblemType.INVALID_DAG, at + ".multiplier",
                    "multiplier must be between 1.0 and 100.0, was " + retry.multiplier());
        }
        if (retry.maxBackoffMs() < retry.initialBackoffMs() || retry.maxBackoffMs() > RetryPolicy.MAX_BACKOFF_LIMIT_MS) {
            return Result.rejected(ProblemType.INVALID_DAG, at + ".maxBackoffMs",
                    "maxBackoffMs must be between initialBackoffMs and " + RetryPolicy.MAX_BACKOFF_LIMIT_MS + ", was "
                            + retry.maxBackoffMs());
        }
        return null;
    }

    private static Result checkDependencies(TaskSpec task, String at, Map<String, Integer> positions) {
        Set<String> seen = new HashSet<>();
        for (int d = 0; d < task.dependsOn().size(); d++) {
            String dep = task.dependsOn().get(d);
            String field = at + ".dependsOn[" + d + "]";
            if (dep == null || !positions.containsKey(dep)) {
                return Result.rejected(ProblemType.INVALID_DAG, field,
                        "Task '" + task.id() + "' depends on unknown task " + quote(dep));
            }
            if (dep.equals(task.id())) {
                return Result.rejected(ProblemType.INVALID_DAG, field, "Task '" + task.id() + "' depends on itself");
            }
            if (!seen.add(dep)) {
                return Result.rejected(ProblemType.INVALID_DAG, field,
                        "Task '" + task.id() + "' lists dependency '" + dep + "' twice");
            }
        }
        return null;
    }

    private Result checkExpressions(DagPlan plan, int position, String at) {
        TaskSpec task = plan.task(position);
        if (task.when() != null) {
            var problem = conditions.check(task.when());
            if (problem.isPresent()) {
                return Result.rejected(ProblemType.INVALID_CONDITION, at + ".when",
                        "Condition of task '" + task.id() + "' is invalid: " + problem.get());
            }
        }
        if (plan.hasTemplatedInput(position)) {
            Set<String> upstream = new HashSet<>();
            for (int a : plan.ancestors(position)) {
                upstream.add(plan.task(a).id());
            }
            List<String> problems = InputTemplate.validate(task.input(), upstream);
            if (!problems.isEmpty()) {
                return Result.rejected(ProblemType.INVALID_INPUT_TEMPLATE, at + ".input",
                        "Input of task '" + task.id() + "' is invalid: " + problems.getFirst());
            }
        }
        return null;
    }

    /** A cycle as a path of task ids that starts and ends with the same id. Only called when one exists. */
    private static List<String> findCycle(List<TaskSpec> tasks, Map<String, Integer> positions) {
        int n = tasks.size();
        int[] colour = new int[n]; // 0 unvisited, 1 on the current path, 2 done
        int[] parent = new int[n];
        for (int start = 0; start < n; start++) {
            if (colour[start] != 0) {
                continue;
            }
            // Iterative DFS over "depends on" edges; an edge back to the current path closes a cycle.
            ArrayDeque<int[]> stack = new ArrayDeque<>();
            stack.push(new int[] {start, 0});
            colour[start] = 1;
            parent[start] = -1;
            while (!stack.isEmpty()) {
                int[] frame = stack.peek();
                int node = frame[0];
                List<String> deps = tasks.get(node).dependsOn();
                if (frame[1] < deps.size()) {
                    int next = positions.get(deps.get(frame[1]++));
                    if (colour[next] == 1) {
                        List<String> cycle = new ArrayList<>();
                        cycle.add(tasks.get(next).id());
                        for (int at = node; at != next; at = parent[at]) {
                            cycle.add(tasks.get(at).id());
                        }
                        cycle.add(tasks.get(next).id());
                        // Walked against the edges: reverse so the path reads "a depends on b".
                        return cycle.reversed();
                    }
                    if (colour[next] == 0) {
                        colour[next] = 1;
                        parent[next] = node;
                        stack.push(new int[] {next, 0});
                    }
                } else {
                    colour[node] = 2;
                    stack.pop();
                }
            }
        }
        throw new IllegalStateException("No cycle found although the DAG has no topological order");
    }

    private static String quote(String s) {
        if (s == null) {
            return "null";
        }
        return "'" + (s.length() > 80 ? s.substring(0, 80) + "…" : s) + "'";
    }
}
