package io.flowraft.bench.cluster;

import io.flowraft.contracts.RegisterDefinitionRequest;
import io.flowraft.contracts.TaskSpec;
import io.flowraft.contracts.TriggerRule;
import io.flowraft.contracts.json.FlowRaftJson;
import java.util.ArrayList;
import java.util.List;
import tools.jackson.databind.JsonNode;

/**
 * The workflow shapes the harness drives. Every task is of type {@code noop}, so the numbers are those of the
 * engine, Raft and HTTP, not of a handler.
 */
enum Shape {

    /** t0 → t1 → … → t9: ten round trips to a worker, one after the other. */
    CHAIN(10),
    /** split → 50 parallel tasks → join: wide dispatch, many leases per poll. */
    FANOUT(52),
    /**
     * start → (left when input.route == "left", right when input.route == "right") → join (NONE_FAILED) → end:
     * a CEL condition on each branch, one branch skipped, and a join that runs after a skipped dependency.
     * Four of the five tasks run; the harness alternates the route.
     */
    DIAMOND(4),
    /** One task: the smallest workflow, for the soak, where the count of workflows through the state matters. */
    SINGLE(1);

    static final String TYPE = "noop";

    private final int tasksRun;

    Shape(int tasksRun) {
        this.tasksRun = tasksRun;
    }

    /** Tasks a workflow of this shape runs on a worker (skipped ones excluded). */
    int tasksRun() {
        return tasksRun;
    }

    String definitionName() {
        return "bench-" + name().toLowerCase(java.util.Locale.ROOT);
    }

    RegisterDefinitionRequest definition() {
        List<TaskSpec> tasks = new ArrayList<>();
        switch (this) {
            case CHAIN -> {
                for (int i = 0; i < 10; i++) {
                    tasks.add(task("t" + i, i == 0 ? List.of() : List.of("t" + (i - 1)), null, null));
                }
            }
            case FANOUT -> {
                tasks.add(task("split", List.of(), null, null));
                List<String> branches = new ArrayList<>();
                for (int i = 0; i < 50; i++) {
                    tasks.add(task("b" + i, List.of("split"), null, null));
                    branches.add("b" + i);
                }
                tasks.add(task("join", branches, null, null));
            }
            case SINGLE -> tasks.add(task("only", List.of(), null, null));
            case DIAMOND -> {
                tasks.add(task("start", List.of(), null, null));
                tasks.add(task("left", List.of("start"), "input.route == 'left'", null));
                tasks.add(task("right", List.of("start"), "input.route == 'right'", null));
                tasks.add(task("join", List.of("left", "right"), null, TriggerRule.NONE_FAILED));
                tasks.add(task("end", List.of("join"), null, null));
            }
        }
        return new RegisterDefinitionRequest(definitionName(), null, tasks);
    }

    /** The input of the n-th workflow: the diamond alternates its branch; the others need none. */
    JsonNode input(long n) {
        if (this != DIAMOND) {
            return null;
        }
        return FlowRaftJson.mapper().createObjectNode().put("route", n % 2 == 0 ? "left" : "right");
    }

    private static TaskSpec task(String id, List<String> dependsOn, String when, TriggerRule trigger) {
        return new TaskSpec(id, TYPE, dependsOn, null, when, trigger, null, null, null);
    }
}
