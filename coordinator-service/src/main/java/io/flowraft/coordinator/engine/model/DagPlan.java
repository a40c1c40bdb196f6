package io.flowraft.coordinator.engine.model;

import io.flowraft.coordinator.engine.expression.InputTemplate;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A validated DAG, indexed for the engine: dependencies, dependents and ancestors by task position. Built
 * once per definition version and shared by every workflow started from it. Immutable.
 */
public final class DagPlan {

    private final List<TaskSpec> tasks;
    private final Map<String, Integer> positions;
    private final int[][] dependencies;
    private final int[][] dependents;
    private final int[][] ancestors;
    private final boolean[] templatedInput;

    private DagPlan(List<TaskSpec> tasks, Map<String, Integer> positions, int[][] dependencies, int[][] dependents,
            int[][] ancestors) {
        this.tasks = tasks;
        this.positions = positions;
        this.dependencies = dependencies;
        this.dependents = dependents;
        this.ancestors = ancestors;
        this.templatedInput = new boolean[tasks.size()];
        for (int i = 0; i < tasks.size(); i++) {
            String input = tasks.get(i).input();
            templatedInput[i] = input != null && InputTemplate.mayContainPlaceholders(input);
        }
    }

    /**
     * Indexes tasks already known to form a DAG with unique ids and known dependencies (a validated DAG
     * read back from a snapshot).
     */
    public static DagPlan ofValidated(List<TaskSpec> tasks) {
        int[] order = topologicalOrder(tasks);
        if (order == null) {
            throw new IllegalArgumentException("Not a DAG: " + tasks.stream().map(TaskSpec::id).toList());
        }
        return of(tasks, order);
    }

    /**
     * Kahn's algorithm, lowest position first among the free tasks; null when there is a cycle. Every
     * dependency must name a task of the list.
     */
    public static int[] topologicalOrder(List<TaskSpec> tasks) {
        int n = tasks.size();
        Map<String, Integer> positions = new HashMap<>(n * 2);
        for (int i = 0; i < n; i++) {
            positions.put(tasks.get(i).id(), i);
        }
        int[] indegree = new int[n];
        List<List<Integer>> dependents = new java.util.ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            dependents.add(new java.util.ArrayList<>());
        }
        for (int i = 0; i < n; i++) {
            for (String dep : tasks.get(i).dependsOn()) {
                dependents.get(positions.get(dep)).add(i);
                indegree[i]++;
            }
        }
        java.util.ArrayDeque<Integer> free = new java.util.ArrayDeque<>();
        for (int i = 0; i < n; i++) {
            if (indegree[i] == 0) {
                free.add(i);
            }
        }
        int[] order = new int[n];
        int count = 0;
        while (!free.isEmpty()) {
            int next = free.poll();
            order[count++] = next;
            for (int dependent : dependents.get(next)) {
                if (--indegree[dependent] == 0) {
                    free.add(dependent);
                }
            }
        }
        return count == n ? order : null;
    }

    /**
     * Indexes tasks that are already known to form a DAG with unique ids and known dependencies.
     *
     * @param topologicalOrder every position once, each after all of its dependencies
     */
    public static DagPlan of(List<TaskSpec> tasks, int[] topologicalOrder) {
        List<TaskSpec> specs = List.copyOf(tasks);
        int n = specs.size();
        Map<String, Integer> positions = new HashMap<>(n * 2);
        for (int i = 0; i < n; i++) {
            positions.put(specs.get(i).id(), i);
        }
        int[][] dependencies = new int[n][];
        int[] dependentCounts = new int[n];
        for (int i = 0; i < n; i++) {
            List<String> deps = specs.get(i).dependsOn();
            dependencies[i] = new int[deps.size()];
            for (int d = 0; d < deps.size(); d++) {
                int dep = positions.get(deps.get(d));
                dependencies[i][d] = dep;
                dependentCounts[dep]++;
            }
        }
        int[][] dependents = new int[n][];
        for (int i = 0; i < n; i++) {
            dependents[i] = new int[dependentCounts[i]];
            dependentCounts[i] = 0;
        }
        for (int i = 0; i < n; i++) { // ascending i, so each dependents list is in spec order
            for (int dep : dependencies[i]) {
                dependents[dep][dependentCounts[dep]++] = i;
            }
        }
        int[][] ancestors = new int[n][];
        java.util.BitSet[] sets = new java.util.BitSet[n];
        for (int i : topologicalOrder) {
            java.util.BitSet set = new java.util.BitSet(n);
            for (int dep : dependencies[i]) {
                set.set(dep);
                set.or(sets[dep]);
            }
            sets[i] = set;
            ancestors[i] = set.stream().toArray();
        }
        return new DagPlan(specs, positions, dependencies, dependents, ancestors);
    }

    public List<TaskSpec> tasks() {
        return tasks;
    }

    public int size() {
        return tasks.size();
    }

    public TaskSpec task(int position) {
        return tasks.get(position);
    }

    /** The position of a task id, or -1. */
    public int position(String taskId) {
        Integer p = positions.get(taskId);
        return p == null ? -1 : p;
    }

    public int[] dependencies(int position) {
        return dependencies[position];
    }

    /** Positions of the tasks that depend directly on this one, in spec order. */
    public int[] dependents(int position) {
        return dependents[position];
    }

    /** Positions of every task this one depends on, directly or not, ascending. */
    public int[] ancestors(int position) {
        return ancestors[position];
    }

    /** Whether the task's input contains template expressions and so must be rendered. */
    public boolean hasTemplatedInput(int position) {
        return templatedInput[position];
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof DagPlan other && tasks.equals(other.tasks);
    }

    @Override
    public int hashCode() {
        return tasks.hashCode();
    }

    @Override
    public String toString() {
        return "DagPlan" + Arrays.toString(tasks.stream().map(TaskSpec::id).toArray());
    }
}
