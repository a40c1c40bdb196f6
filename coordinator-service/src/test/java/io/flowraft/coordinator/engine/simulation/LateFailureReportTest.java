package io.flowraft.coordinator.engine.simulation;

import static io.flowraft.coordinator.engine.EngineHarness.dag;
import static io.flowraft.coordinator.engine.EngineHarness.task;
import static org.assertj.core.api.Assertions.assertThat;

import io.flowraft.contracts.ProblemType;
import io.flowraft.coordinator.engine.CommandResult;
import io.flowraft.coordinator.engine.CommandResult.GrantedLease;
import io.flowraft.coordinator.engine.EngineHarness;
import org.junit.jupiter.api.Test;

/**
 * Regression test for a bug {@link EngineSimulationTest} found (invariant 5, shrunk to five actions: submit,
 * lease, let the lease run out, ExpireLeases, FailTask): a failure reported under a lease that the scheduler
 * had already expired was answered {@code duplicate=true}, as if the worker had reported that failure
 * before. It had not: ExpireLeases ended the attempt, not a report. The same failure sent just before
 * ExpireLeases was applied was refused as LEASE_EXPIRED, and a late completion was refused as stale; only
 * the late failure was "accepted", with the worker's error and {@code retryable=false} dropped. Fixed in
 * FailTaskHandler (commit b0f29f5: a lease that expired makes a late failure stale).
 */
class LateFailureReportTest {

    @Test
    void shouldNotAnswerAFailureAfterLeaseExpiryAsADuplicateOfAReportNeverSent() {
        // given a lease that the scheduler expired: the task is READY for a second attempt
        EngineHarness h = new EngineHarness();
        h.submit("wf-1", dag(task("a").retry(3, 1_000, 2.0, 10_000)));
        GrantedLease lease = h.leaseOne();
        h.advance(EngineHarness.LEASE_MS).expire();
        // when the worker, late, reports a non-retryable failure under that lease
        CommandResult result = h.fail(lease.leaseId(), "card declined", false);
        // then it is refused (409), like a late completion would be, not acknowledged as already committed
        assertThat(result).isInstanceOf(CommandResult.Rejection.class);
        assertThat(((CommandResult.Rejection) result).type()).isIn(ProblemType.STALE_LEASE, ProblemType.LEASE_EXPIRED);
    }

    @Test
    void shouldAnswerALateFailureTheSameWayWhetherOrNotExpiryWasAppliedFirst() {
        // given two replicas of the same expired lease, one of which already applied ExpireLeases
        EngineHarness before = new EngineHarness();
        EngineHarness after = new EngineHarness();
        for (EngineHarness h : java.util.List.of(before, after)) {
            h.submit("wf-1", dag(task("a").retry(3, 1_000, 2.0, 10_000)));
            h.leaseOne();
            h.advance(EngineHarness.LEASE_MS);
        }
        after.expire();
        String leaseId = after.task("wf-1", "a").leaseId(); // the same on both: wf-1.a.1
        // when the worker reports the failure late on both
        CommandResult notYetExpired = before.fail(leaseId, "boom", true);
        CommandResult alreadyExpired = after.fail(leaseId, "boom", true);
        // then both are refused
        assertThat(notYetExpired).isInstanceOf(CommandResult.Rejection.class);
        assertThat(alreadyExpired).isInstanceOf(CommandResult.Rejection.class);
    }
}
