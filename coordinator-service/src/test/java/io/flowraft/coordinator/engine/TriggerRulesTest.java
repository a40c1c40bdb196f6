package io.flowraft.coordinator.engine;

import static io.flowraft.coordinator.engine.EngineHarness.dag;
import static io.flowraft.coordinator.engine.EngineHarness.task;
import static org.assertj.core.api.Assertions.assertThat;

import io.flowraft.contracts.TaskStatus;
import io.flowraft.contracts.TriggerRule;
import io.flowraft.contracts.WorkflowStatus;
import io.flowraft.coordinator.engine.CommandResult.GrantedLease;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Trigger rules, `when` conditions and skip propagation through the DAG. */
class TriggerRulesTest {

    private final EngineHarness harness = new EngineHarness();

    /** Leases the READY task with this id (type "work") and completes or fails it. */
    private void finish(String workflowId, String taskId, boolean success) {
        harness.advance(60_000); // past any backoff of tasks handed back before
        List<GrantedLease> leases = harness.lease("w", 100, "work");
        GrantedLease lease = leases.stream().filter(l -> l.taskId().equals(taskId)).findFirst().orElseThrow();
        for (GrantedLease other : leases) {
            if (other != lease) { // hand the others back by failing them retryably with no backoff
                harness.fail(other.leaseId(), "not now", true);
            }
        }
        if (success) {
            harness.complete(lease.leaseId(), "{\"by\":\"" + taskId + "\"}");
        } else {
            harness.fail(lease.leaseId(), "failed on purpose", false);
        }
    }

    @Test
    void shouldSkipAllSuccessTaskWhenADependencyWasSkippedAndPropagateTheSkip() {
        harness.submit("wf-1", "{\"express\":false}", dag(
                task("pick"),
                task("express").after("pick").when("input.express"),
                task("label").after("express"),
                task("invoice").after("label")));
        finish("wf-1", "pick", true);
        assertThat(harness.status("wf-1", "express")).isEqualTo(TaskStatus.SKIPPED);
        assertThat(harness.task("wf-1", "express").error()).contains("condition is false");
        assertThat(harness.status("wf-1", "label")).isEqualTo(TaskStatus.SKIPPED);
        assertThat(harness.status("wf-1", "invoice")).isEqualTo(TaskStatus.SKIPPED);
        assertThat(harness.status("wf-1")).isEqualTo(WorkflowStatus.COMPLETED);
    }

    @Test
    void shouldRunNoneFailedJoinAfterAConditionalBranch() {
        // given a diamond whose left branch is conditional and false
        harness.submit("wf-1", "{\"amount\":50}", dag(
                task("start"),
                task("review").after("start").when("input.amount > 1000"),
                task("fastTrack").after("start").when("input.amount <= 1000"),
                task("join").after("review", "fastTrack").trigger(TriggerRule.NONE_FAILED)));
        finish("wf-1", "start", true);
        assertThat(harness.status("wf-1", "review")).isEqualTo(TaskStatus.SKIPPED);
        assertThat(harness.status("wf-1", "fastTrack")).isEqualTo(TaskStatus.READY);
        finish("wf-1", "fastTrack", true);
        assertThat(harness.status("wf-1", "join")).isEqualTo(TaskStatus.READY);
    }

    @Test
    void shouldSkipNoneFailedJoinWhenADependencyFailed() {
        harness.submit("wf-1", dag(task("a"), task("b"), task("join").after("a", "b").trigger(TriggerRule.NONE_FAILED)));
        finish("wf-1", "a", false);
        assertThat(harness.status("wf-1", "join")).as("waits for every dependency").isEqualTo(TaskStatus.PENDING);
        finish("wf-1", "b", true);
        assertThat(harness.status("wf-1", "join")).isEqualTo(TaskStatus.SKIPPED);
        assertThat(harness.task("wf-1", "join").error()).contains("NONE_FAILED").contains("'a' is FAILED");
        assertThat(harness.status("wf-1")).isEqualTo(WorkflowStatus.FAILED);
    }

    @Test
    void shouldRunAllDoneCleanupAfterAFailure() {
        harness.submit("wf-1", dag(task("work"), task("cleanup").after("work").trigger(TriggerRule.ALL_DONE)));
        finish("wf-1", "work", false);
        assertThat(harness.status("wf-1", "cleanup")).isEqualTo(TaskStatus.READY);
        finish("wf-1", "cleanup", true);
        assertThat(harness.status("wf-1")).as("a failed task fails the workflow").isEqualTo(WorkflowStatus.FAILED);
    }

    @Test
    void shouldRunOneSuccessWhenAnyDependencyCompleted() {
        harness.submit("wf-1", dag(task("mirrorA"), task("mirrorB"),
                task("use").after("mirrorA", "mirrorB").trigger(TriggerRule.ONE_SUCCESS)));
        finish("wf-1", "mirrorA", false);
        finish("wf-1", "mirrorB", true);
        assertThat(harness.status("wf-1", "use")).isEqualTo(TaskStatus.READY);
    }

    @Test
    void shouldSkipOneSuccessWhenNoDependencyCompleted() {
        harness.submit("wf-1", dag(task("mirrorA"), task("mirrorB"),
                task("use").after("mirrorA", "mirrorB").trigger(TriggerRule.ONE_SUCCESS)));
        finish("wf-1", "mirrorA", false);
        finish("wf-1", "mirrorB", false);
        assertThat(harness.status("wf-1", "use")).isEqualTo(TaskStatus.SKIPPED);
    }

    @Test
    void shouldEvaluateConditionsOverUpstreamOutputs() {
        harness.submit("wf-1", dag(
                task("score"),
                task("approve").after("score").when("tasks.score.output.value >= 700"),
                task("reject").after("score").when("tasks.score.output.value < 700")));
        GrantedLease lease = harness.leaseOne();
        harness.complete(lease.leaseId(), "{\"value\":720}");
        assertThat(harness.status("wf-1", "approve")).isEqualTo(TaskStatus.READY);
        assertThat(harness.status("wf-1", "reject")).isEqualTo(TaskStatus.SKIPPED);
    }

    @Test
    void shouldFailTaskWhoseConditionCannotBeEvaluated() {
        // given a condition reading a field the output does not have
        harness.submit("wf-1", dag(task("score"), task("approve").after("score").when("tasks.score.output.value > 1")));
        harness.complete(harness.leaseOne().leaseId(), "{}");
        assertThat(harness.status("wf-1", "approve")).isEqualTo(TaskStatus.FAILED);
        assertThat(harness.task("wf-1", "approve").error()).startsWith("condition could not be evaluated");
        assertThat(harness.status("wf-1")).isEqualTo(WorkflowStatus.FAILED);
    }

    @Test
    void shouldRunParallelBranchesAndJoin() {
        harness.submit("wf-1", dag(task("split"), task("left").after("split"), task("right").after("split"),
                task("join").after("left", "right")));
        finish("wf-1", "split", true);
        assertThat(harness.lease("w", 10, "work")).extracting(GrantedLease::taskId).containsExactly("left", "right");
    }
}
