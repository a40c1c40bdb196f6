package io.flowraft.coordinator.engine;

import static io.flowraft.coordinator.engine.EngineHarness.LEASE_MS;
import static io.flowraft.coordinator.engine.EngineHarness.dag;
import static io.flowraft.coordinator.engine.EngineHarness.rejection;
import static io.flowraft.coordinator.engine.EngineHarness.task;
import static org.assertj.core.api.Assertions.assertThat;

import io.flowraft.contracts.ProblemType;
import io.flowraft.contracts.TaskStatus;
import io.flowraft.contracts.WorkflowStatus;
import io.flowraft.coordinator.engine.CommandResult.GrantedLease;
import io.flowraft.coordinator.engine.CommandResult.TaskReported;
import io.flowraft.coordinator.engine.state.HistoryKind;
import org.junit.jupiter.api.Test;

/** Completion and failure reports: fencing, idempotent repeats, and what a report unblocks. */
class TaskReportTest {

    private final EngineHarness harness = new EngineHarness();

    @Test
    void shouldCompleteTaskAndMakeItsDependentReadyWithRenderedInput() {
        // given
        harness.submit("wf-1", dag(task("charge"), task("ship").after("charge")
                .input("{\"payment\":\"${tasks.charge.output.paymentId}\",\"note\":\"paid ${tasks.charge.output.paymentId}\"}")));
        GrantedLease lease = harness.leaseOne();
        // when
        var result = harness.complete(lease.leaseId(), "{\"paymentId\":\"p-9\"}");
        // then
        assertThat(result).isEqualTo(new TaskReported(lease.leaseId(), "wf-1", "charge", TaskStatus.COMPLETED, false));
        assertThat(harness.task("wf-1", "charge").output()).isEqualTo("{\"paymentId\":\"p-9\"}");
        assertThat(harness.status("wf-1", "ship")).isEqualTo(TaskStatus.READY);
        assertThat(harness.task("wf-1", "ship").input()).isEqualTo("{\"payment\":\"p-9\",\"note\":\"paid p-9\"}");
    }

    @Test
    void shouldCompleteWorkflowWhenTheLastTaskCompletes() {
        harness.submit("wf-1", dag(task("a"), task("b").after("a")));
        harness.advance(5);
        assertThat(harness.runAll("{}")).isEqualTo(2);
        assertThat(harness.status("wf-1")).isEqualTo(WorkflowStatus.COMPLETED);
        assertThat(harness.workflow("wf-1").finishedAt()).isEqualTo(harness.now());
        assertThat(harness.workflow("wf-1").history().getLast().kind()).isEqualTo(HistoryKind.WORKFLOW_COMPLETED);
    }

    @Test
    void shouldAnswerTheSameCompletionTwiceTheSameWayAndCommitItOnce() {
        // given
        harness.submit("wf-1", dag(task("a"), task("b").after("a")));
        GrantedLease lease = harness.leaseOne();
        harness.complete(lease.leaseId(), "{\"ok\":true}");
        int historySize = harness.workflow("wf-1").history().size();
        String digest = harness.engine().digest();
        // when the worker resends its report (its first response was lost)
        var again = harness.complete(lease.leaseId(), "{\"ok\":true}");
        // then
        assertThat(again).isEqualTo(new TaskReported(lease.leaseId(), "wf-1", "a", TaskStatus.COMPLETED, true));
        assertThat(harness.workflow("wf-1").history()).hasSize(historySize);
        assertThat(harness.engine().digest()).isEqualTo(digest);
        assertThat(harness.workflow("wf-1").history()).filteredOn(h -> h.kind() == HistoryKind.TASK_COMPLETED).hasSize(1);
        assertThat(harness.status("wf-1", "b")).isEqualTo(TaskStatus.READY);
    }

    @Test
    void shouldRejectACompletionUnderTheSameLeaseWithADifferentOutput() {
        harness.submit("wf-1", dag(task("a")));
        GrantedLease lease = harness.leaseOne();
        harness.complete(lease.leaseId(), "{\"v\":1}");
        var rejection = rejection(harness.complete(lease.leaseId(), "{\"v\":2}"));
        assertThat(rejection.type()).isEqualTo(ProblemType.REPORT_CONFLICT);
        assertThat(harness.task("wf-1", "a").output()).isEqualTo("{\"v\":1}");
    }

    @Test
    void shouldRejectACompletionUnderASupersededLease() {
        // given attempt 1 expired and attempt 2 is leased to another worker
        harness.submit("wf-1", dag(task("a").retry(3, 0, 1.0, 0)));
        GrantedLease stale = harness.leaseOne();
        harness.advance(LEASE_MS).expire();
        GrantedLease current = harness.lease("worker-2", 1, "work").getFirst();
        // when the first worker reports late
        var rejection = rejection(harness.complete(stale.leaseId(), "{}"));
        // then
        assertThat(rejection.type()).isEqualTo(ProblemType.STALE_LEASE);
        assertThat(rejection.message()).isEqualTo("Expected to complete task 'a' of workflow 'wf-1' under lease "
                + stale.leaseId() + ", but it is held by lease " + current.leaseId());
        assertThat(harness.task("wf-1", "a").status()).isEqualTo(TaskStatus.LEASED);
        assertThat(harness.task("wf-1", "a").attempt()).isEqualTo(2);
        // and the current holder still completes
        assertThat(harness.complete(current.leaseId(), "{}")).isInstanceOf(TaskReported.class);
    }

    @Test
    void shouldRejectACompletionAfterTheLeaseExpiredEvenBeforeExpiryWasApplied() {
        harness.submit("wf-1", dag(task("a")));
        GrantedLease lease = harness.leaseOne();
        harness.advance(LEASE_MS);
        var rejection = rejection(harness.complete(lease.leaseId(), "{}"));
        assertThat(rejection.type()).isEqualTo(ProblemType.LEASE_EXPIRED);
        assertThat(harness.status("wf-1", "a")).isEqualTo(TaskStatus.LEASED);
    }

    @Test
    void shouldAcceptACompletionOneMillisecondBeforeExpiry() {
        harness.submit("wf-1", dag(task("a")));
        GrantedLease lease = harness.leaseOne();
        harness.advance(LEASE_MS - 1);
        assertThat(harness.complete(lease.leaseId(), "{}")).isInstanceOf(TaskReported.class);
    }

    @Test
    void shouldTellUnknownLeasesFromMalformedOnes() {
        harness.submit("wf-1", dag(task("a")));
        harness.leaseOne();
        assertThat(rejection(harness.complete("not-a-lease", "{}")).type()).isEqualTo(ProblemType.INVALID_REQUEST);
        assertThat(rejection(harness.complete("wf-1.a.999", "{}")).type()).isEqualTo(ProblemType.LEASE_NOT_FOUND);
        assertThat(rejection(harness.complete("wf-9.a.1", "{}")).type()).isEqualTo(ProblemType.LEASE_NOT_FOUND);
        assertThat(rejection(harness.complete("wf-1.zz.1", "{}")).type()).isEqualTo(ProblemType.LEASE_NOT_FOUND);
        assertThat(harness.status("wf-1", "a")).isEqualTo(TaskStatus.LEASED);
    }

    @Test
    void shouldRejectOversizedOutputAndKeepTheLease() {
        EngineHarness small = new EngineHarness(new Engine(new EngineLimits(10, 64, 8, 1024, 8, 100)));
        small.submit("wf-1", dag(task("a")));
        GrantedLease lease = small.leaseOne();
        var rejection = rejection(small.complete(lease.leaseId(), "\"" + "x".repeat(100) + "\""));
        assertThat(rejection.type()).isEqualTo(ProblemType.LIMIT_EXCEEDED);
        assertThat(rejection.field()).isEqualTo("output");
        assertThat(small.status("wf-1", "a")).isEqualTo(TaskStatus.LEASED);
        assertThat(small.complete(lease.leaseId(), "{}")).isInstanceOf(TaskReported.class);
    }

    @Test
    void shouldFailWorkflowAndSkipDependentsOnANonRetryableFailure() {
        // given a -> b, and c in parallel
        harness.submit("wf-1", dag(task("a"), task("b").after("a"), task("c")));
        GrantedLease a = harness.leaseOne();
        // when
        var result = harness.fail(a.leaseId(), "card declined", false);
        // then
        assertThat(result).isEqualTo(new TaskReported(a.leaseId(), "wf-1", "a", TaskStatus.FAILED, false));
        assertThat(harness.task("wf-1", "a").error()).isEqualTo("card declined");
        assertThat(harness.status("wf-1", "b")).isEqualTo(TaskStatus.SKIPPED);
        assertThat(harness.task("wf-1", "b").error()).contains("ALL_SUCCESS").contains("'a' is FAILED");
        assertThat(harness.status("wf-1")).as("c still runs").isEqualTo(WorkflowStatus.RUNNING);
        harness.runAll("{}");
        assertThat(harness.status("wf-1")).isEqualTo(WorkflowStatus.FAILED);
    }

    @Test
    void shouldAnswerTheSameFailureTwiceTheSameWay() {
        harness.submit("wf-1", dag(task("a")));
        GrantedLease lease = harness.leaseOne();
        var first = (TaskReported) harness.fail(lease.leaseId(), "boom", true);
        var again = (TaskReported) harness.fail(lease.leaseId(), "boom", true);
        assertThat(first.taskStatus()).isEqualTo(TaskStatus.READY);
        assertThat(again.duplicate()).isTrue();
        assertThat(again.taskStatus()).isEqualTo(TaskStatus.READY);
        assertThat(harness.workflow("wf-1").history()).filteredOn(h -> h.kind() == HistoryKind.TASK_RETRY_SCHEDULED)
                .hasSize(1);
    }

    @Test
    void shouldRejectAFailureAfterACompletionUnderTheSameLease() {
        harness.submit("wf-1", dag(task("a")));
        GrantedLease lease = harness.leaseOne();
        harness.complete(lease.leaseId(), "{}");
        var rejection = rejection(harness.fail(lease.leaseId(), "late", true));
        assertThat(rejection.type()).isEqualTo(ProblemType.STALE_LEASE);
        assertThat(rejection.message()).contains("was completed under lease " + lease.leaseId());
        assertThat(harness.status("wf-1", "a")).isEqualTo(TaskStatus.COMPLETED);
    }

    @Test
    void shouldTruncateLongErrorMessages() {
        harness.submit("wf-1", dag(task("a")));
        GrantedLease lease = harness.leaseOne();
        harness.fail(lease.leaseId(), "é".repeat(10_000), false);
        String error = harness.task("wf-1", "a").error();
        assertThat(error.getBytes(java.nio.charset.StandardCharsets.UTF_8).length)
                .isLessThanOrEqualTo(EngineLimits.DEFAULT.maxErrorBytes());
        assertThat(error).endsWith("…");
    }
}
