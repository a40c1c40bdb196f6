package io.flowraft.coordinator.engine;

import static io.flowraft.coordinator.engine.EngineHarness.dag;
import static io.flowraft.coordinator.engine.EngineHarness.rejection;
import static io.flowraft.coordinator.engine.EngineHarness.task;
import static org.assertj.core.api.Assertions.assertThat;

import io.flowraft.contracts.ProblemType;
import io.flowraft.contracts.TaskStatus;
import io.flowraft.contracts.WorkflowStatus;
import io.flowraft.coordinator.engine.CommandResult.GrantedLease;
import io.flowraft.coordinator.engine.CommandResult.WorkflowCancelled;
import org.junit.jupiter.api.Test;

class CancelWorkflowTest {

    private final EngineHarness harness = new EngineHarness();

    @Test
    void shouldCancelUnfinishedTasksAndRevokeTheirLeases() {
        // given a leased task, a ready one, a pending one and a completed one
        harness.submit("wf-1", dag(task("done"), task("leased"), task("ready").type("other"), task("later").after("leased")));
        harness.complete(harness.leaseOne().leaseId(), "{}");
        GrantedLease leased = harness.leaseOne();
        // when
        var result = harness.cancel("wf-1");
        // then
        assertThat(result).isEqualTo(new WorkflowCancelled("wf-1", false));
        assertThat(harness.status("wf-1")).isEqualTo(WorkflowStatus.CANCELLED);
        assertThat(harness.status("wf-1", "done")).isEqualTo(TaskStatus.COMPLETED);
        assertThat(harness.status("wf-1", "leased")).isEqualTo(TaskStatus.CANCELLED);
        assertThat(harness.status("wf-1", "ready")).isEqualTo(TaskStatus.CANCELLED);
        assertThat(harness.status("wf-1", "later")).isEqualTo(TaskStatus.CANCELLED);
        // and the outstanding lease is revoked
        var rejection = rejection(harness.complete(leased.leaseId(), "{}"));
        assertThat(rejection.type()).isEqualTo(ProblemType.STALE_LEASE);
        assertThat(rejection.message()).endsWith("but the workflow was cancelled");
        // and nothing of it can be leased any more
        assertThat(harness.lease("w", 10, "work", "other")).isEmpty();
        assertThat(harness.engine().state().nextDueTime()).isEqualTo(Long.MAX_VALUE);
    }

    @Test
    void shouldAcceptCancellingACancelledWorkflowAgain() {
        harness.submit("wf-1", dag(task("a")));
        harness.cancel("wf-1");
        assertThat(harness.cancel("wf-1")).isEqualTo(new WorkflowCancelled("wf-1", true));
    }

    @Test
    void shouldRejectCancellingAFinishedWorkflow() {
        harness.submit("wf-1", dag(task("a")));
        harness.runAll("{}");
        var rejection = rejection(harness.cancel("wf-1"));
        assertThat(rejection.type()).isEqualTo(ProblemType.WORKFLOW_FINISHED);
        assertThat(harness.status("wf-1")).isEqualTo(WorkflowStatus.COMPLETED);
    }

    @Test
    void shouldRejectCancellingAnUnknownWorkflow() {
        assertThat(rejection(harness.cancel("nope")).type()).isEqualTo(ProblemType.WORKFLOW_NOT_FOUND);
    }
}
