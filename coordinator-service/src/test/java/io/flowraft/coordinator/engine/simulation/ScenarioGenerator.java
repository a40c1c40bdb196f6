package io.flowraft.coordinator.engine.simulation;

import io.flowraft.contracts.TaskStatus;
import io.flowraft.contracts.TriggerRule;
import io.flowraft.coordinator.engine.model.RetryPolicy;
import io.flowraft.coordinator.engine.model.TaskSpec;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Draws a {@link Scenario} from a seed: the same seed gives the same scenario on every machine and JDK
 * ({@link SplittableRandom} is specified bit for bit). DAGs have 1 to 12 tasks whose edges only go from
 * earlier to later tasks, so they are acyclic by construction.
 */
final class ScenarioGenerator {

    static final List<String> TYPES = List.of("alpha", "beta");
    static final int WORKERS = 3;
    static final int MAX_TASKS = 12;
    static final int MAX_WORKFLOWS = 4;
    static final int MAX_ACTIONS = 150;
    /** The longest backoff any generated retry policy can produce; the drain waits longer than this. */
    static final long MAX_BACKOFF_MS = 4_000;

    private static final long[] LEASE_MS = {1_000, 5_000, 30_000};
    /** Below the engine's minimum lease: such a poll must be refused and change nothing. */
    private static final long INVALID_LEASE_MS = 500;
    private static final long[] TIMEOUT_MS = {2_000, 10_000, TaskSpec.DEFAULT_TIMEOUT_MS};
    private static final long[] ADVANCE_MS = {1, 200, 1_000, 2_500, 6_000, 31_000};
    private static final long[] BACKOFF_MS = {0, 100, 500, 1_000, 2_000};
    private static final double[] MULTIPLIERS = {1.0, 1.5, 2.0};
    private static final TaskStatus[] CONDITION_STATUSES =
            {TaskStatus.COMPLETED, TaskStatus.SKIPPED, TaskStatus.FAILED};

    private ScenarioGenerator() {
    }

    static Scenario generate(long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        int workflowCount = 1 + random.nextInt(MAX_WORKFLOWS);
        List<SimWorkflow> workflows = new ArrayList<>(workflowCount);
        for (int w = 0; w < workflowCount; w++) {
            workflows.add(workflow("wf-" + w, random));
        }
        int actionCount = 10 + random.nextInt(MAX_ACTIONS - 9);
        List<SimAction> actions = new ArrayList<>(actionCount);
        for (int a = 0; a < actionCount; a++) {
            actions.add(action(random));
        }
        return new Scenario(seed, workflows, actions);
    }

    static SimWorkflow workflow(String id, SplittableRandom random) {
        int n = 1 + random.nextInt(MAX_TASKS);
        List<TaskSpec> tasks = new ArrayList<>(n);
        Map<String, SimCondition> conditions = new LinkedHashMap<>();
        for (int i = 0; i < n; i++) {
            String taskId = "t" + i;
            List<String> deps = new ArrayList<>();
            int wanted = i == 0 ? 0 : random.nextInt(Math.min(i, 3) + 1);
            while (deps.size() < wanted) {
                String dep = "t" + random.nextInt(i);
                if (!deps.contains(dep)) {
                    deps.add(dep);
                }
            }
            SimCondition condition = random.nextInt(100) < 35 ? condition(deps, random) : null;
            if (condition != null) {
                conditions.put(taskId, condition);
            }
            tasks.add(new TaskSpec(taskId, TYPES.get(random.nextInt(TYPES.size())), deps, null,
                    condition == null ? null : condition.cel(), trigger(random), retry(random),
                    TIMEOUT_MS[random.nextInt(TIMEOUT_MS.length)], null));
        }
        return new SimWorkflow(id, tasks, new SimInput(random.nextBoolean(), random.nextInt(10)), conditions,
                random.nextBoolean());
    }

    private static TriggerRule trigger(SplittableRandom random) {
        int roll = random.nextInt(10);
        if (roll < 4) {
            return TriggerRule.ALL_SUCCESS;
        }
        return roll < 6 ? TriggerRule.ALL_DONE : roll < 8 ? TriggerRule.ONE_SUCCESS : TriggerRule.NONE_FAILED;
    }

    private static RetryPolicy retry(SplittableRandom random) {
        long initial = BACKOFF_MS[random.nextInt(BACKOFF_MS.length)];
        long max = Math.min(MAX_BACKOFF_MS, initial + 1_000L * random.nextInt(3));
        return new RetryPolicy(1 + random.nextInt(3), initial, MULTIPLIERS[random.nextInt(MULTIPLIERS.length)], max);
    }

    private static SimCondition condition(List<String> deps, SplittableRandom random) {
        if (deps.isEmpty() || random.nextInt(4) == 0) {
            return random.nextBoolean() ? new SimCondition.InputFlag(random.nextBoolean())
                    : new SimCondition.InputAbove(random.nextInt(10));
        }
        String dep = deps.get(random.nextInt(deps.size()));
        return switch (random.nextInt(4)) {
            case 0 -> new SimCondition.StatusIs(dep, CONDITION_STATUSES[random.nextInt(CONDITION_STATUSES.length)],
                    random.nextBoolean());
            case 1 -> new SimCondition.OutputAbove(dep, random.nextInt(10));
            case 2 -> new SimCondition.AttemptAtLeast(dep, 1 + random.nextInt(2));
            default -> new SimCondition.FlagOrSkipped(dep);
        };
    }

    /** One action, by weight: reports and polls dominate, restores and cancels are rarer. */
    static SimAction action(SplittableRandom random) {
        int roll = random.nextInt(100);
        if (roll < 8) {
            return new SimAction.Submit(random.nextInt(MAX_WORKFLOWS));
        }
        if (roll < 28) {
            SimAction.Poll[] polls = SimAction.Poll.values();
            long leaseMs = random.nextInt(20) == 0 ? INVALID_LEASE_MS : LEASE_MS[random.nextInt(LEASE_MS.length)];
            return new SimAction.Lease(random.nextInt(WORKERS), 1 + random.nextInt(3), 1 + random.nextInt(3), leaseMs,
                    polls[random.nextInt(polls.length)]);
        }
        if (roll < 46) {
            return new SimAction.Complete(random.nextInt(1_000), random.nextInt(10));
        }
        if (roll < 54) {
            return new SimAction.Fail(random.nextInt(1_000), random.nextInt(3) > 0);
        }
        if (roll < 60) {
            return new SimAction.Heartbeat(random.nextInt(1_000));
        }
        if (roll < 65) {
            SimAction.Staleness[] kinds = SimAction.Staleness.values();
            return new SimAction.CompleteStale(kinds[random.nextInt(kinds.length)], random.nextInt(1_000),
                    random.nextInt(10));
        }
        if (roll < 70) {
            return new SimAction.Repeat(random.nextInt(1_000), random.nextInt(4) == 0);
        }
        if (roll < 83) {
            return new SimAction.Advance(ADVANCE_MS[random.nextInt(ADVANCE_MS.length)]);
        }
        if (roll < 89) {
            return new SimAction.Expire();
        }
        if (roll < 92) {
            return new SimAction.Cancel(random.nextInt(MAX_WORKFLOWS));
        }
        if (roll < 99) {
            return new SimAction.SnapshotRestore();
        }
        return new SimAction.SkewClock(1 + random.nextInt(1_500));
    }
}
