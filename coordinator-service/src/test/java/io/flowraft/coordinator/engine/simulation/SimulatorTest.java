package io.flowraft.coordinator.engine.simulation;

import static org.assertj.core.api.Assertions.assertThat;

import io.flowraft.contracts.TriggerRule;
import io.flowraft.contracts.WorkflowStatus;
import io.flowraft.coordinator.engine.CommandResult;
import io.flowraft.coordinator.engine.CommandResult.GrantedLease;
import io.flowraft.coordinator.engine.CommandResult.LeaseExtended;
import io.flowraft.coordinator.engine.CommandResult.LeasesExpired;
import io.flowraft.coordinator.engine.CommandResult.LeasesGranted;
import io.flowraft.coordinator.engine.CommandResult.Rejection;
import io.flowraft.coordinator.engine.CommandResult.TaskReported;
import io.flowraft.coordinator.engine.CommandResult.WorkflowCancelled;
import io.flowraft.coordinator.engine.CommandResult.WorkflowSubmitted;
import io.flowraft.coordinator.engine.Engine;
import io.flowraft.coordinator.engine.command.SubmitWorkflow;
import io.flowraft.coordinator.engine.model.RetryPolicy;
import io.flowraft.coordinator.engine.model.TaskSpec;
import io.flowraft.coordinator.engine.simulation.SimAction.Advance;
import io.flowraft.coordinator.engine.simulation.SimAction.Cancel;
import io.flowraft.coordinator.engine.simulation.SimAction.Complete;
import io.flowraft.coordinator.engine.simulation.SimAction.CompleteStale;
import io.flowraft.coordinator.engine.simulation.SimAction.Expire;
import io.flowraft.coordinator.engine.simulation.SimAction.Fail;
import io.flowraft.coordinator.engine.simulation.SimAction.Heartbeat;
import io.flowraft.coordinator.engine.simulation.SimAction.Lease;
import io.flowraft.coordinator.engine.simulation.SimAction.Poll;
import io.flowraft.coordinator.engine.simulation.SimAction.Repeat;
import io.flowraft.coordinator.engine.simulation.SimAction.SnapshotRestore;
import io.flowraft.coordinator.engine.simulation.SimAction.Staleness;
import io.flowraft.coordinator.engine.simulation.SimAction.Submit;
import io.flowraft.coordinator.engine.state.WorkflowState;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Pins the simulator itself on one hand-written scenario: how actions become commands, and what they answer. */
class SimulatorTest {

    private static final RetryPolicy TWO_ATTEMPTS = new RetryPolicy(2, 1_000, 1.0, 1_000);
    private static final RetryPolicy ONE_ATTEMPT = new RetryPolicy(1, 0, 1.0, 0);

    /**
     * t0 (alpha) retried once; t1 (beta) runs if t0's output is above 3; t2 (alpha) only without the flag;
     * t3 (beta) joins t1 and t2 with ONE_SUCCESS.
     */
    private static SimWorkflow workflow() {
        SimCondition aboveThree = new SimCondition.OutputAbove("t0", 3);
        SimCondition noFlag = new SimCondition.InputFlag(true);
        List<TaskSpec> tasks = List.of(
                new TaskSpec("t0", "alpha", List.of(), null, null, TriggerRule.ALL_SUCCESS, TWO_ATTEMPTS, 300_000,
                        null),
                new TaskSpec("t1", "beta", List.of("t0"), null, aboveThree.cel(), TriggerRule.ALL_SUCCESS, ONE_ATTEMPT,
                        300_000, null),
                new TaskSpec("t2", "alpha", List.of("t0"), null, noFlag.cel(), TriggerRule.ALL_SUCCESS, ONE_ATTEMPT,
                        300_000, null),
                new TaskSpec("t3", "beta", List.of("t1", "t2"), null, null, TriggerRule.ONE_SUCCESS, ONE_ATTEMPT,
                        300_000, null));
        return new SimWorkflow("wf-0", tasks, new SimInput(true, 5), Map.of("t1", aboveThree, "t2", noFlag), false);
    }

    @Test
    void shouldTurnActionsIntoCommandsAndCheckThemAsTheEngineAnswers() {
        // given a scenario exercising retries, a stale lease, a replayed poll, repeats, a restore and an expiry
        List<SimAction> actions = List.of(
                new Submit(0),
                new Lease(0, 1, 2, 30_000, Poll.NONE),
                new Fail(0, true),
                new Lease(1, 3, 1, 30_000, Poll.FRESH),
                new Advance(1_000),
                new Lease(1, 3, 1, 30_000, Poll.FRESH),
                new Lease(1, 3, 1, 30_000, Poll.RETRY),
                new CompleteStale(Staleness.OLD_LEASE, 0, 9),
                new Heartbeat(0),
                new Complete(0, 7),
                new Repeat(1, false),
                new Repeat(1, true),
                new Repeat(0, false),
                new SnapshotRestore(),
                new Lease(2, 2, 3, 5_000, Poll.NONE),
                new Advance(6_000),
                new Heartbeat(0),
                new Expire(),
                new Cancel(0),
                new Complete(0, 1),
                new Fail(0, false));
        Simulator simulator = new Simulator(new Scenario(42, List.of(workflow()), actions));

        // when
        simulator.run();

        // then every step was answered as the engine documents it
        assertThat(simulator.outcomes()).extracting(SimulatorTest::summary).containsExactly(
                "submitted wf-0",
                "granted [wf-0.t0.1]",
                "reported wf-0.t0.1 READY",
                "granted []",
                "idle",
                "granted [wf-0.t0.2]",
                "replayed [wf-0.t0.2]",
                "rejected stale-lease wf-0.t0.1",
                "extended wf-0.t0.2",
                "reported wf-0.t0.2 COMPLETED",
                "reported wf-0.t0.2 COMPLETED duplicate",
                "rejected report-conflict wf-0.t0.2",
                "reported wf-0.t0.1 READY duplicate",
                "idle",
                "granted [wf-0.t1.3]",
                "idle",
                "rejected lease-expired wf-0.t1.3",
                "expired 1",
                "rejected workflow-finished",
                "rejected stale-lease wf-0.t1.3",
                "idle");
        // and the workflow ended as its rules say: t1 ran out of attempts, so t3 had no completed dependency
        WorkflowState wf = simulator.engine().state().workflow("wf-0");
        assertThat(wf.status()).isEqualTo(WorkflowStatus.FAILED);
        assertThat(wf.tasks()).extracting(t -> t.taskId() + "=" + t.status())
                .containsExactly("t0=COMPLETED", "t1=FAILED", "t2=SKIPPED", "t3=SKIPPED");
        assertThat(wf.task("t0").output()).isEqualTo("{\"v\":7}");
        assertThat(wf.task("t0").attempt()).isEqualTo(2);
        assertThat(simulator.now()).isEqualTo(Simulator.START + 7_000);
        assertThat(simulator.counters().asMap()).containsEntry("restores", 1L)
                .containsEntry("polls.replayed", 1L)
                .containsEntry("completions.duplicate", 1L)
                .containsEntry("failures.duplicate", 1L)
                .containsEntry("completions.conflict", 1L)
                .containsEntry("skipped.condition", 1L)
                .containsEntry("skipped.trigger", 1L)
                .containsEntry("ready.condition", 1L)
                .containsEntry("workflow.FAILED", 1L);
    }

    @Test
    void shouldSubmitAndRunEveryWorkflowInTheDrainWhenTheScenarioHasNoActions() {
        // given a scenario that never submits its workflow
        Simulator simulator = new Simulator(new Scenario(7, List.of(workflow()), List.of()));
        // when
        simulator.run();
        // then the drain submitted it and the drain worker completed what ran, with output {"v":5}
        WorkflowState wf = simulator.engine().state().workflow("wf-0");
        assertThat(wf.status()).isEqualTo(WorkflowStatus.COMPLETED);
        assertThat(wf.tasks()).extracting(t -> t.taskId() + "=" + t.status())
                .containsExactly("t0=COMPLETED", "t1=COMPLETED", "t2=SKIPPED", "t3=COMPLETED");
        assertThat(wf.task("t3").leaseWorker()).isEqualTo(Simulator.DRAIN_WORKER);
        assertThat(simulator.outcomes()).isEmpty();
    }

    @Test
    void shouldGenerateTheSameScenarioFromTheSameSeed() {
        assertThat(ScenarioGenerator.generate(123)).isEqualTo(ScenarioGenerator.generate(123));
        assertThat(ScenarioGenerator.generate(123)).isNotEqualTo(ScenarioGenerator.generate(124));
    }

    @Test
    void shouldGenerateOnlyAcyclicDagsTheEngineAccepts() {
        Engine engine = new Engine();
        long index = 0;
        for (long seed = 0; seed < 200; seed++) {
            for (SimWorkflow w : ScenarioGenerator.generate(seed).workflows()) {
                assertThat(w.tasks()).hasSizeBetween(1, ScenarioGenerator.MAX_TASKS);
                for (int i = 0; i < w.tasks().size(); i++) {
                    int position = i;
                    assertThat(w.tasks().get(i).dependsOn()).allSatisfy(dep ->
                            assertThat(Integer.parseInt(dep.substring(1))).isLessThan(position));
                }
                String id = "s" + seed + "-" + w.id();
                assertThat(engine.apply(++index, new SubmitWorkflow(Simulator.START, id, null, null, w.tasks(),
                        w.input().json()))).isEqualTo(new WorkflowSubmitted(id, true));
            }
        }
    }

    private static String summary(Simulator.Outcome outcome) {
        CommandResult result = outcome.result();
        if (outcome.command() == null) {
            return "idle";
        }
        return switch (result) {
            case WorkflowSubmitted r -> "submitted " + r.workflowId();
            case LeasesGranted r -> (r.replayed() ? "replayed " : "granted ")
                    + r.leases().stream().map(GrantedLease::leaseId).toList();
            case TaskReported r ->
                    "reported " + r.leaseId() + " " + r.taskStatus() + (r.duplicate() ? " duplicate" : "");
            case Rejection r -> "rejected " + r.type().slug() + leaseOf(outcome);
            case LeaseExtended r -> "extended " + r.leaseId();
            case LeasesExpired r -> "expired " + r.expired();
            case WorkflowCancelled r -> "cancelled " + r.workflowId();
            default -> result.toString();
        };
    }

    private static String leaseOf(Simulator.Outcome outcome) {
        return switch (outcome.command()) {
            case io.flowraft.coordinator.engine.command.CompleteTask c -> " " + c.leaseId();
            case io.flowraft.coordinator.engine.command.FailTask c -> " " + c.leaseId();
            case io.flowraft.coordinator.engine.command.Heartbeat c -> " " + c.leaseId();
            default -> "";
        };
    }
}
