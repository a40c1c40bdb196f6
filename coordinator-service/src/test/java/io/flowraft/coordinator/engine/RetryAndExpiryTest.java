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
import io.flowraft.coordinator.engine.CommandResult.LeaseExtended;
import io.flowraft.coordinator.engine.CommandResult.LeasesExpired;
import io.flowraft.coordinator.engine.model.RetryPolicy;
import io.flowraft.coordinator.engine.state.HistoryKind;
import org.junit.jupiter.api.Test;

/** Retries with committed backoff, lease expiry and heartbeats, all on the leader's stamped clock. */
class RetryAndExpiryTest {

    private final EngineHarness harness = new EngineHarness();

    @Test
    void shouldRetryAfterBackoffWhenARetryableFailureLeavesAttempts() {
        // given
        harness.submit("wf-1", dag(task("a").retry(3, 1_000, 2.0, 60_000)));
        GrantedLease first = harness.leaseOne();
        // when
        harness.fail(first.leaseId(), "timeout calling bank", true);
        // then the task is READY but not leasable before its backoff ends
        assertThat(harness.status("wf-1", "a")).isEqualTo(TaskStatus.READY);
        assertThat(harness.task("wf-1", "a").notBefore()).isEqualTo(harness.now() + 1_000);
        assertThat(harness.advance(999).lease("w", 1, "work")).isEmpty();
        GrantedLease second = harness.advance(1).lease("w", 1, "work").getFirst();
        assertThat(second.attempt()).isEqualTo(2);
        // and the next backoff doubles
        harness.fail(second.leaseId(), "again", true);
        assertThat(harness.task("wf-1", "a").notBefore()).isEqualTo(harness.now() + 2_000);
    }

    @Test
    void shouldFailForGoodWhenAttemptsRunOut() {
        harness.submit("wf-1", dag(task("a").retry(2, 0, 1.0, 0)));
        harness.fail(harness.leaseOne().leaseId(), "boom", true);
        harness.fail(harness.leaseOne().leaseId(), "boom", true);
        assertThat(harness.status("wf-1", "a")).isEqualTo(TaskStatus.FAILED);
        assertThat(harness.task("wf-1", "a").error()).isEqualTo("boom (attempt 2 of 2)");
        assertThat(harness.status("wf-1")).isEqualTo(WorkflowStatus.FAILED);
    }

    @Test
    void shouldCapBackoffAtTheMaximum() {
        RetryPolicy policy = new RetryPolicy(10, 1_000, 3.0, 5_000);
        assertThat(policy.backoffAfter(1)).isEqualTo(1_000);
        assertThat(policy.backoffAfter(2)).isEqualTo(3_000);
        assertThat(policy.backoffAfter(3)).isEqualTo(5_000);
        assertThat(policy.backoffAfter(9)).isEqualTo(5_000);
    }

    @Test
    void shouldExpireOverdueLeasesBackToReadyWithTheNextAttempt() {
        // given
        harness.submit("wf-1", dag(task("a").retry(3, 500, 2.0, 60_000)));
        GrantedLease lease = harness.leaseOne();
        // when nothing is due yet
        assertThat(harness.advance(LEASE_MS - 1).expire()).isEqualTo(new LeasesExpired(0));
        // and then it is
        assertThat(harness.advance(1).expire()).isEqualTo(new LeasesExpired(1));
        // then
        assertThat(harness.status("wf-1", "a")).isEqualTo(TaskStatus.READY);
        assertThat(harness.task("wf-1", "a").notBefore()).isEqualTo(harness.now() + 500);
        assertThat(harness.workflow("wf-1").history()).extracting(h -> h.kind())
                .contains(HistoryKind.LEASE_EXPIRED, HistoryKind.TASK_RETRY_SCHEDULED);
        assertThat(harness.advance(500).leaseOne().attempt()).isEqualTo(2);
        // and the expired lease is stale now
        assertThat(rejection(harness.complete(lease.leaseId(), "{}")).type()).isEqualTo(ProblemType.STALE_LEASE);
    }

    @Test
    void shouldFailTaskWhenItsLastAttemptExpires() {
        harness.submit("wf-1", dag(task("a").retry(1, 0, 1.0, 0), task("b").after("a")));
        harness.leaseOne();
        harness.advance(LEASE_MS).expire();
        assertThat(harness.status("wf-1", "a")).isEqualTo(TaskStatus.FAILED);
        assertThat(harness.task("wf-1", "a").error()).contains("expired").contains("worker-1");
        assertThat(harness.status("wf-1", "b")).isEqualTo(TaskStatus.SKIPPED);
        assertThat(harness.status("wf-1")).isEqualTo(WorkflowStatus.FAILED);
    }

    @Test
    void shouldExpireLeasesInOrderOfExpiry() {
        harness.submit("wf-1", dag(task("slow").timeoutMs(60_000), task("fast").timeoutMs(10_000)));
        harness.lease("w", 2, "work");
        harness.advance(60_000).expire();
        assertThat(harness.workflow("wf-1").history()).filteredOn(h -> h.kind() == HistoryKind.LEASE_EXPIRED)
                .extracting(h -> h.taskId()).containsExactly("fast", "slow");
    }

    @Test
    void shouldExtendALeaseByItsLengthOnHeartbeat() {
        harness.submit("wf-1", dag(task("a")));
        GrantedLease lease = harness.leaseOne();
        harness.advance(20_000);
        var result = harness.heartbeat(lease.leaseId());
        assertThat(result).isEqualTo(new LeaseExtended(lease.leaseId(), harness.now() + LEASE_MS, LEASE_MS));
        // the extension holds: past the original expiry, the lease is still valid
        assertThat(harness.advance(15_000).expire()).isEqualTo(new LeasesExpired(0));
        assertThat(harness.complete(lease.leaseId(), "{}")).isInstanceOf(CommandResult.TaskReported.class);
    }

    @Test
    void shouldNeverExtendALeasePastTheTaskTimeout() {
        harness.submit("wf-1", dag(task("a").timeoutMs(40_000)));
        GrantedLease lease = harness.leaseOne();
        long deadline = harness.now() + 40_000;
        harness.advance(25_000);
        assertThat(harness.heartbeat(lease.leaseId())).isEqualTo(new LeaseExtended(lease.leaseId(), deadline, deadline - harness.now()));
        harness.advance(15_000);
        assertThat(rejection(harness.heartbeat(lease.leaseId())).type()).isEqualTo(ProblemType.LEASE_EXPIRED);
        assertThat(harness.expire()).isEqualTo(new LeasesExpired(1));
    }

    @Test
    void shouldRejectAHeartbeatOnALeaseThatIsNotHeld() {
        harness.submit("wf-1", dag(task("a")));
        GrantedLease lease = harness.leaseOne();
        harness.complete(lease.leaseId(), "{}");
        var rejection = rejection(harness.heartbeat(lease.leaseId()));
        assertThat(rejection.type()).isEqualTo(ProblemType.STALE_LEASE);
        assertThat(rejection.message()).startsWith("Expected to heartbeat task 'a'");
    }

    @Test
    void shouldReportTheNextDueTimeForTheScheduler() {
        assertThat(harness.engine().state().nextDueTime()).isEqualTo(Long.MAX_VALUE);
        harness.submit("wf-1", dag(task("a"), task("b").retry(3, 5_000, 1.0, 5_000)));
        harness.lease("w", 1, "work");
        assertThat(harness.engine().state().nextDueTime()).isEqualTo(harness.now() + LEASE_MS);
        GrantedLease b = harness.lease("w", 1, "work").getFirst();
        harness.advance(1_000).fail(b.leaseId(), "x", true);
        assertThat(harness.engine().state().nextDueTime()).isEqualTo(harness.now() + 5_000);
    }
}
