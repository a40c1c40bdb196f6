package io.flowraft.coordinator.engine;

import static io.flowraft.coordinator.engine.EngineHarness.LEASE_MS;
import static io.flowraft.coordinator.engine.EngineHarness.dag;
import static io.flowraft.coordinator.engine.EngineHarness.task;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.flowraft.contracts.TaskStatus;
import io.flowraft.coordinator.engine.CommandResult.GrantedLease;
import io.flowraft.coordinator.engine.CommandResult.LeasesGranted;
import io.flowraft.coordinator.engine.CommandResult.TaskReported;
import io.flowraft.coordinator.engine.command.ConfigureTaskType;
import io.flowraft.coordinator.engine.command.LeaseTasks;
import io.flowraft.coordinator.engine.model.RateLimit;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A {@code LeaseTasks} that prefers workflows (the {@code next} poll of a report exchange) leases their READY tasks
 * first, in the order it names them, then the oldest READY, under every rule a plain poll obeys.
 */
class LeaseTasksPreferenceTest {

    private final EngineHarness harness = new EngineHarness();

    /** Submits a two-step chain, {@code first} (type prep) then {@code second} (type work). */
    private void submitChain(String workflowId, EngineHarness.TaskBuilder second) {
        harness.submit(workflowId, dag(task("first").type("prep"), second.after("first")));
    }

    /** Leases and completes the chain's first step, which makes its second one READY now. */
    private void finishFirstStep(String workflowId) {
        List<GrantedLease> leases = harness.lease("w-prep", 1, "prep");
        assertThat(leases).extracting(GrantedLease::workflowId).containsExactly(workflowId);
        assertThat(harness.complete(leases.getFirst().leaseId(), "{}")).isInstanceOf(TaskReported.class);
        harness.advance(1);
    }

    private LeasesGranted leasePreferring(int maxTasks, String pollId, List<String> prefer, String... types) {
        return (LeasesGranted) harness.send(new LeaseTasks(harness.now(), "w1", null, List.of(types), maxTasks, LEASE_MS,
                pollId, null, prefer));
    }

    /** An older READY task in wf-a, then wf-b's successor made READY by its first step's completion. */
    private void givenAnOlderReadyTaskAndAFreshSuccessor() {
        harness.submit("wf-a", dag(task("t")));
        harness.advance(1);
        submitChain("wf-b", task("second"));
        finishFirstStep("wf-b");
        assertThat(harness.task("wf-a", "t").readySeq()).isLessThan(harness.task("wf-b", "second").readySeq());
    }

    @Test
    void shouldLeaseThePreferredWorkflowsSuccessorBeforeAnOlderReadyTask() {
        // given
        givenAnOlderReadyTaskAndAFreshSuccessor();
        // when
        LeasesGranted granted = leasePreferring(1, null, List.of("wf-b"), "work");
        // then
        assertThat(granted.leases()).extracting(GrantedLease::workflowId, GrantedLease::taskId)
                .containsExactly(tuple("wf-b", "second"));
        assertThat(harness.status("wf-a", "t")).isEqualTo(TaskStatus.READY);
        assertThat(harness.status("wf-b", "second")).isEqualTo(TaskStatus.LEASED);
    }

    @Test
    void shouldFallBackToTheOldestReadyTaskAfterThePreferredOnes() {
        givenAnOlderReadyTaskAndAFreshSuccessor();
        LeasesGranted granted = leasePreferring(2, null, List.of("wf-b"), "work");
        assertThat(granted.leases()).extracting(GrantedLease::workflowId).containsExactly("wf-b", "wf-a");
    }

    @Test
    void shouldLeaseTheOldestReadyTaskFirstWithoutPreference() {
        givenAnOlderReadyTaskAndAFreshSuccessor();
        assertThat(leasePreferring(1, null, List.of(), "work").leases()).extracting(GrantedLease::workflowId)
                .containsExactly("wf-a");
        assertThat(harness.lease("w2", 1, "work")).extracting(GrantedLease::workflowId).containsExactly("wf-b");
    }

    @Test
    void shouldSkipAPreferredTaskHeldBackByItsConcurrencyLimit() {
        // given a lease holding the only slot of key "bank", an older READY task, and a successor that needs "bank"
        harness.submit("wf-hold", dag(task("h").type("other").concurrency("bank", 1)));
        assertThat(harness.lease("w-other", 1, "other")).hasSize(1);
        harness.submit("wf-a", dag(task("t")));
        submitChain("wf-b", task("second").concurrency("bank", 1));
        finishFirstStep("wf-b");
        // when the exchange prefers wf-b
        LeasesGranted granted = leasePreferring(2, null, List.of("wf-b"), "work");
        // then the held-back successor stays READY and the older task is leased instead
        assertThat(granted.leases()).extracting(GrantedLease::workflowId).containsExactly("wf-a");
        assertThat(harness.status("wf-b", "second")).isEqualTo(TaskStatus.READY);
    }

    @Test
    void shouldCountPreferredLeasesAgainstAConcurrencyLimitInTheSameCommand() {
        // given two successors in wf-b sharing a limit of one, and an older READY task under the same key
        harness.submit("wf-a", dag(task("t").concurrency("bank", 1)));
        harness.submit("wf-b", dag(task("first").type("prep"), task("x").after("first").concurrency("bank", 1),
                task("y").after("first").concurrency("bank", 1)));
        finishFirstStep("wf-b");
        // when
        LeasesGranted granted = leasePreferring(3, null, List.of("wf-b"), "work");
        // then one slot, one lease: the preferred workflow's first task in DAG order
        assertThat(granted.leases()).extracting(GrantedLease::workflowId, GrantedLease::taskId)
                .containsExactly(tuple("wf-b", "x"));
    }

    @Test
    void shouldGiveThePreferredLeasesFreshIncreasingFencingTokens() {
        // given
        givenAnOlderReadyTaskAndAFreshSuccessor();
        long before = harness.engine().state().lastFencingToken();
        // when
        List<GrantedLease> leases = leasePreferring(2, null, List.of("wf-b"), "work").leases();
        // then
        assertThat(leases).extracting(LeaseTasksTest::token).containsExactly(before + 1, before + 2);
        assertThat(harness.task("wf-b", "second").fencingToken()).isEqualTo(before + 1);
        assertThat(harness.engine().state().lastFencingToken()).isEqualTo(before + 2);
    }

    @Test
    void shouldReplayTheFirstGrantForARetriedPollId() {
        // given an exchange whose answer was lost
        givenAnOlderReadyTaskAndAFreshSuccessor();
        LeasesGranted first = leasePreferring(1, "exchange-1", List.of("wf-b"), "work");
        // when it is retried, as an exchange or as a plain poll with the same poll id
        LeasesGranted retried = leasePreferring(1, "exchange-1", List.of("wf-b"), "work");
        LeasesGranted plain = leasePreferring(1, "exchange-1", List.of(), "work");
        // then both get the first grant back and nothing new is leased
        assertThat(retried.replayed()).isTrue();
        assertThat(retried.leases()).isEqualTo(first.leases());
        assertThat(plain.replayed()).isTrue();
        assertThat(plain.leases()).isEqualTo(first.leases());
        assertThat(harness.status("wf-a", "t")).isEqualTo(TaskStatus.READY);
    }

    @Test
    void shouldTakeThePreferredWorkflowsInTheOrderGivenSkippingUnknownAndRepeatedOnes() {
        // given successors made READY in wf-b, then in wf-c
        harness.submit("wf-a", dag(task("t")));
        submitChain("wf-b", task("second"));
        submitChain("wf-c", task("second"));
        finishFirstStep("wf-b");
        finishFirstStep("wf-c");
        // when the exchange names wf-c before wf-b, with an unknown workflow and a repeat among them
        LeasesGranted granted = leasePreferring(3, null, List.of("wf-gone", "wf-c", "wf-c", "wf-b", "wf-c"), "work");
        // then in the order named, then the oldest READY
        assertThat(granted.leases()).extracting(GrantedLease::workflowId).containsExactly("wf-c", "wf-b", "wf-a");
    }

    @Test
    void shouldLeaveAPreferredTaskOfATypeNotAskedFor() {
        harness.submit("wf-a", dag(task("t")));
        submitChain("wf-b", task("second").type("email"));
        finishFirstStep("wf-b");
        assertThat(leasePreferring(2, null, List.of("wf-b"), "work").leases()).extracting(GrantedLease::workflowId)
                .containsExactly("wf-a");
        assertThat(harness.status("wf-b", "second")).isEqualTo(TaskStatus.READY);
    }

    @Test
    void shouldLeaveAPreferredTaskWhoseRetryBackoffRuns() {
        // given wf-b's successor failed once and waits out its backoff, behind two READY tasks
        harness.submit("wf-a", dag(task("t")));
        submitChain("wf-b", task("second").retry(3, 5_000, 2.0, 60_000));
        finishFirstStep("wf-b");
        GrantedLease second = leasePreferring(1, null, List.of("wf-b"), "work").leases().getFirst();
        harness.submit("wf-z", dag(task("t")));
        harness.fail(second.leaseId(), "flaky", true);
        // when
        LeasesGranted granted = leasePreferring(1, null, List.of("wf-b"), "work");
        // then
        assertThat(granted.leases()).extracting(GrantedLease::workflowId).containsExactly("wf-a");
        assertThat(harness.status("wf-b", "second")).isEqualTo(TaskStatus.READY);
        // and once the backoff is over, it is preferred again, before the older wf-z
        harness.advance(5_000);
        assertThat(leasePreferring(1, null, List.of("wf-b"), "work").leases()).extracting(GrantedLease::workflowId)
                .containsExactly("wf-b");
    }

    @Test
    void shouldTakeRateLimitTokensForPreferredLeases() {
        // given one lease a second for "work" (a bucket of one), an older READY task and a fresh successor
        givenAnOlderReadyTaskAndAFreshSuccessor();
        harness.send(new ConfigureTaskType(harness.now(), "work", new RateLimit(1_000)));
        // when the exchange asks for two
        LeasesGranted granted = leasePreferring(2, null, List.of("wf-b"), "work");
        // then the one token goes to the successor, and it was taken: nothing more until the bucket refills
        assertThat(granted.leases()).extracting(GrantedLease::workflowId).containsExactly("wf-b");
        assertThat(harness.lease("w2", 2, "work")).isEmpty();
        harness.advance(1_000);
        assertThat(harness.lease("w2", 2, "work")).extracting(GrantedLease::workflowId).containsExactly("wf-a");
    }
}
