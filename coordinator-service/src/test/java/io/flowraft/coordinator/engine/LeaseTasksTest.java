package io.flowraft.coordinator.engine;

import static io.flowraft.coordinator.engine.EngineHarness.LEASE_MS;
import static io.flowraft.coordinator.engine.EngineHarness.dag;
import static io.flowraft.coordinator.engine.EngineHarness.rejection;
import static io.flowraft.coordinator.engine.EngineHarness.task;
import static org.assertj.core.api.Assertions.assertThat;

import io.flowraft.contracts.ProblemType;
import io.flowraft.contracts.TaskStatus;
import io.flowraft.coordinator.engine.CommandResult.GrantedLease;
import io.flowraft.coordinator.engine.CommandResult.LeasesGranted;
import io.flowraft.coordinator.engine.command.LeaseTasks;
import java.util.List;
import org.junit.jupiter.api.Test;

class LeaseTasksTest {

    private final EngineHarness harness = new EngineHarness();

    @Test
    void shouldLeaseOldestReadyTaskFirstAcrossWorkflows() {
        // given three workflows submitted in order
        harness.submit("wf-b", dag(task("t")));
        harness.submit("wf-a", dag(task("t")));
        harness.submit("wf-c", dag(task("t")));
        // when
        List<GrantedLease> leases = harness.lease("w1", 10, "work");
        // then in the order the tasks became READY, not in id order
        assertThat(leases).extracting(GrantedLease::workflowId).containsExactly("wf-b", "wf-a", "wf-c");
    }

    @Test
    void shouldLeaseOnlyTheAskedTypesUpToMaxTasks() {
        harness.submit("wf-1", dag(task("a").type("email"), task("b").type("sms"), task("c").type("email"),
                task("d").type("email")));
        List<GrantedLease> leases = harness.lease("w1", 2, "email");
        assertThat(leases).extracting(GrantedLease::taskId).containsExactly("a", "c");
        assertThat(harness.status("wf-1", "b")).isEqualTo(TaskStatus.READY);
        assertThat(harness.status("wf-1", "d")).isEqualTo(TaskStatus.READY);
    }

    @Test
    void shouldMergeSeveralTypesInReadyOrder() {
        harness.submit("wf-1", dag(task("a").type("sms"), task("b").type("email"), task("c").type("sms")));
        assertThat(harness.lease("w1", 10, "email", "sms")).extracting(GrantedLease::taskId).containsExactly("a", "b", "c");
    }

    @Test
    void shouldGiveEveryLeaseAHigherFencingTokenThanAnyBefore() {
        harness.submit("wf-1", dag(task("a"), task("b")));
        harness.submit("wf-2", dag(task("a")));
        GrantedLease first = harness.lease("w1", 1, "work").getFirst();
        List<GrantedLease> next = harness.lease("w2", 5, "work");
        long firstToken = token(first);
        assertThat(next).extracting(LeaseTasksTest::token).allMatch(t -> t > firstToken).doesNotHaveDuplicates();
        assertThat(harness.engine().state().lastFencingToken()).isEqualTo(3);
    }

    @Test
    void shouldDescribeTheLeaseForTheWorker() {
        // given
        harness.submit("wf-1", "{\"n\":1}", dag(task("a").input("{\"x\":\"${input.n}\"}").timeoutMs(10_000)));
        // when
        GrantedLease lease = harness.leaseOne();
        // then
        assertThat(lease.leaseId()).isEqualTo("wf-1.a." + token(lease));
        assertThat(lease.attempt()).isEqualTo(1);
        assertThat(lease.type()).isEqualTo("work");
        assertThat(lease.input()).isEqualTo("{\"x\":1}");
        assertThat(lease.idempotencyKey()).isEqualTo("wf-1/a");
        assertThat(lease.expiresAt()).as("the lease is capped by the task timeout").isEqualTo(harness.now() + 10_000);
        assertThat(harness.task("wf-1", "a").status()).isEqualTo(TaskStatus.LEASED);
        assertThat(harness.task("wf-1", "a").leaseWorker()).isEqualTo("worker-1");
    }

    @Test
    void shouldUseTheRequestedLeaseLengthWhenShorterThanTheTimeout() {
        harness.submit("wf-1", dag(task("a")));
        GrantedLease lease = harness.leaseOne();
        assertThat(lease.expiresAt()).isEqualTo(harness.now() + LEASE_MS);
        assertThat(harness.task("wf-1", "a").leaseDeadline()).isEqualTo(harness.now() + 300_000);
    }

    @Test
    void shouldNeverLeaseATaskThatIsAlreadyLeased() {
        harness.submit("wf-1", dag(task("a")));
        harness.leaseOne();
        assertThat(harness.lease("w2", 10, "work")).isEmpty();
    }

    @Test
    void shouldReturnTheSameLeasesForARetriedPollId() {
        // given a poll whose response was lost
        harness.submit("wf-1", dag(task("a"), task("b")));
        harness.submit("wf-2", dag(task("a")));
        var first = (LeasesGranted) harness.leaseResult("w1", 2, "poll-1", "work");
        // when the worker retries the same poll
        var retry = (LeasesGranted) harness.leaseResult("w1", 2, "poll-1", "work");
        // then it gets the same leases back and nothing new is granted
        assertThat(retry.replayed()).isTrue();
        assertThat(retry.leases()).isEqualTo(first.leases());
        assertThat(harness.status("wf-2", "a")).isEqualTo(TaskStatus.READY);
        // and a new poll id grants new leases
        var next = (LeasesGranted) harness.leaseResult("w1", 2, "poll-2", "work");
        assertThat(next.replayed()).isFalse();
        assertThat(next.leases()).extracting(GrantedLease::workflowId).containsExactly("wf-2");
    }

    @Test
    void shouldLeaveCompletedLeasesOutOfAReplayedPoll() {
        harness.submit("wf-1", dag(task("a"), task("b")));
        var first = (LeasesGranted) harness.leaseResult("w1", 2, "poll-1", "work");
        harness.complete(first.leases().getFirst().leaseId(), "{}");
        var retry = (LeasesGranted) harness.leaseResult("w1", 2, "poll-1", "work");
        assertThat(retry.leases()).containsExactly(first.leases().get(1));
    }

    @Test
    void shouldGrantUnderAPollIdWhoseEarlierTryFoundNothing() {
        // given a long poll that found nothing under its poll id
        var empty = (LeasesGranted) harness.leaseResult("w1", 2, "poll-1", "work");
        assertThat(empty.leases()).isEmpty();
        // when a task arrives and the poll is proposed again under the same id
        harness.submit("wf-1", dag(task("a")));
        var next = (LeasesGranted) harness.leaseResult("w1", 2, "poll-1", "work");
        // then it is granted, and a retry of that returns it again
        assertThat(next.replayed()).isFalse();
        assertThat(next.leases()).extracting(GrantedLease::taskId).containsExactly("a");
        assertThat(((LeasesGranted) harness.leaseResult("w1", 2, "poll-1", "work")).leases()).isEqualTo(next.leases());
    }

    @Test
    void shouldNotShareAPollIdBetweenWorkers() {
        harness.submit("wf-1", dag(task("a"), task("b")));
        harness.leaseResult("w1", 1, "poll-1", "work");
        var other = (LeasesGranted) harness.leaseResult("w2", 1, "poll-1", "work");
        assertThat(other.replayed()).isFalse();
        assertThat(other.leases()).extracting(GrantedLease::taskId).containsExactly("b");
    }

    @Test
    void shouldHonourConcurrencyLimitsAcrossWorkflows() {
        // given three workflows whose task shares a limit of 2
        for (String id : List.of("wf-1", "wf-2", "wf-3")) {
            harness.submit(id, dag(task("charge").concurrency("payments", 2)));
        }
        // when
        List<GrantedLease> leases = harness.lease("w1", 10, "work");
        // then
        assertThat(leases).extracting(GrantedLease::workflowId).containsExactly("wf-1", "wf-2");
        assertThat(harness.lease("w1", 10, "work")).isEmpty();
        // and a completion frees a slot
        harness.complete(leases.getFirst().leaseId(), "{}");
        assertThat(harness.lease("w1", 10, "work")).extracting(GrantedLease::workflowId).containsExactly("wf-3");
    }

    @Test
    void shouldRejectInvalidPolls() {
        harness.submit("wf-1", dag(task("a")));
        long now = harness.now();
        assertThat(rejection(harness.send(new LeaseTasks(now, "w1", List.of("work"), 0, LEASE_MS, null))).field())
                .isEqualTo("maxTasks");
        assertThat(rejection(harness.send(new LeaseTasks(now, "w1", List.of("work"), 100_000, LEASE_MS, null))).field())
                .isEqualTo("maxTasks");
        assertThat(rejection(harness.send(new LeaseTasks(now, "w1", List.of(), 1, LEASE_MS, null))).field())
                .isEqualTo("taskTypes");
        assertThat(rejection(harness.send(new LeaseTasks(now, "w1", List.of("bad type"), 1, LEASE_MS, null))).field())
                .isEqualTo("taskTypes[0]");
        assertThat(rejection(harness.send(new LeaseTasks(now, "", List.of("work"), 1, LEASE_MS, null))).field())
                .isEqualTo("workerId");
        var shortLease = rejection(harness.send(new LeaseTasks(now, "w1", List.of("work"), 1, 10, null)));
        assertThat(shortLease.type()).isEqualTo(ProblemType.INVALID_REQUEST);
        assertThat(shortLease.field()).isEqualTo("leaseMs");
        assertThat(harness.status("wf-1", "a")).isEqualTo(TaskStatus.READY);
    }

    static long token(GrantedLease lease) {
        return Long.parseLong(lease.leaseId().substring(lease.leaseId().lastIndexOf('.') + 1));
    }
}
