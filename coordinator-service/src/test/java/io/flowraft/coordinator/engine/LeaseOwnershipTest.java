package io.flowraft.coordinator.engine;

import static io.flowraft.coordinator.engine.EngineHarness.LEASE_MS;
import static io.flowraft.coordinator.engine.EngineHarness.dag;
import static io.flowraft.coordinator.engine.EngineHarness.rejection;
import static io.flowraft.coordinator.engine.EngineHarness.task;
import static org.assertj.core.api.Assertions.assertThat;

import io.flowraft.contracts.ProblemType;
import io.flowraft.contracts.TaskStatus;
import io.flowraft.coordinator.engine.CommandResult.GrantedLease;
import io.flowraft.coordinator.engine.CommandResult.LeaseExtended;
import io.flowraft.coordinator.engine.CommandResult.LeasesGranted;
import io.flowraft.coordinator.engine.CommandResult.Rejection;
import io.flowraft.coordinator.engine.CommandResult.TaskReported;
import io.flowraft.coordinator.engine.codec.CommandCodec;
import io.flowraft.coordinator.engine.command.Command;
import io.flowraft.coordinator.engine.command.CompleteTask;
import io.flowraft.coordinator.engine.command.FailTask;
import io.flowraft.coordinator.engine.command.Heartbeat;
import io.flowraft.coordinator.engine.command.LeaseTasks;
import java.util.List;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/**
 * A lease is bound to the principal that polled it: a report or heartbeat from any other principal is refused
 * with {@code lease-not-owned} inside the engine, and changes nothing (no state, no history line, same digest).
 */
class LeaseOwnershipTest {

    private final EngineHarness harness = new EngineHarness();

    private GrantedLease leaseAs(String principal) {
        var result = harness.send(new LeaseTasks(harness.now(), "worker-1", null, List.of("work"), 1, LEASE_MS,
                "poll-" + harness.index(), principal));
        return ((LeasesGranted) result).leases().getFirst();
    }

    /** Sends the command and checks it was refused as not owned and changed nothing at all. */
    private Rejection assertRefusedAndNothingChanged(Supplier<Command> command) {
        String digest = harness.engine().digest();
        int history = harness.workflow("wf-1").history().size();
        TaskStatus status = harness.status("wf-1", "a");
        long expiresAt = harness.task("wf-1", "a").leaseExpiresAt();
        Rejection rejection = rejection(harness.send(command.get()));
        assertThat(rejection.type()).isEqualTo(ProblemType.LEASE_NOT_OWNED);
        assertThat(rejection.field()).isEqualTo("leaseId");
        assertThat(harness.engine().digest()).isEqualTo(digest);
        assertThat(harness.workflow("wf-1").history()).hasSize(history);
        assertThat(harness.status("wf-1", "a")).isEqualTo(status);
        assertThat(harness.task("wf-1", "a").leaseExpiresAt()).isEqualTo(expiresAt);
        return rejection;
    }

    @Test
    void shouldBindALeaseToThePrincipalThatPolledIt() {
        harness.submit("wf-1", dag(task("a")));
        GrantedLease lease = leaseAs("worker-a");
        assertThat(harness.task("wf-1", "a").leaseOwner()).isEqualTo("worker-a");
        assertThat(harness.task("wf-1", "a").leaseWorker()).isEqualTo("worker-1");
        assertThat(lease.leaseId()).isEqualTo(harness.task("wf-1", "a").leaseId());
    }

    @Test
    void shouldRefuseACompletionFromAnotherPrincipalAndThenAcceptTheOwners() {
        // given worker-a holds the lease
        harness.submit("wf-1", dag(task("a")));
        GrantedLease lease = leaseAs("worker-a");
        // when worker-b completes it
        Rejection refused = assertRefusedAndNothingChanged(
                () -> new CompleteTask(harness.now(), lease.leaseId(), "{\"forged\":true}", "worker-b"));
        // then it is told why, without the owner's name, and the owner's completion goes through
        assertThat(refused.message()).contains("another principal", "'worker-b'").doesNotContain("worker-a");
        assertThat(harness.send(new CompleteTask(harness.now(), lease.leaseId(), "{\"ok\":true}", "worker-a")))
                .isEqualTo(new TaskReported(lease.leaseId(), "wf-1", "a", TaskStatus.COMPLETED, false));
        assertThat(harness.task("wf-1", "a").output()).isEqualTo("{\"ok\":true}");
    }

    @Test
    void shouldRefuseAFailureFromAnotherPrincipal() {
        harness.submit("wf-1", dag(task("a")));
        GrantedLease lease = leaseAs("worker-a");
        assertRefusedAndNothingChanged(() -> new FailTask(harness.now(), lease.leaseId(), "sabotage", false, "worker-b"));
        assertThat(harness.status("wf-1", "a")).isEqualTo(TaskStatus.LEASED);
    }

    @Test
    void shouldRefuseAHeartbeatFromAnotherPrincipal() {
        harness.submit("wf-1", dag(task("a")));
        GrantedLease lease = leaseAs("worker-a");
        harness.advance(1_000);
        assertRefusedAndNothingChanged(() -> new Heartbeat(harness.now(), lease.leaseId(), "worker-b"));
        assertThat(harness.send(new Heartbeat(harness.now(), lease.leaseId(), "worker-a")))
                .isInstanceOf(LeaseExtended.class);
        assertThat(harness.task("wf-1", "a").leaseExpiresAt()).isEqualTo(harness.now() + LEASE_MS);
    }

    @Test
    void shouldRefuseAReportWithoutPrincipalUnderAnOwnedLease() {
        harness.submit("wf-1", dag(task("a")));
        GrantedLease lease = leaseAs("worker-a");
        assertRefusedAndNothingChanged(() -> new CompleteTask(harness.now(), lease.leaseId(), "{}"));
    }

    @Test
    void shouldRefuseAnotherPrincipalsRepeatOfACommittedReportWithoutSayingHowItEnded() {
        // given worker-a completed its task: a repeat of that report would be answered as a duplicate
        harness.submit("wf-1", dag(task("a"), task("b").after("a")));
        GrantedLease lease = leaseAs("worker-a");
        harness.send(new CompleteTask(harness.now(), lease.leaseId(), "{}", "worker-a"));
        // then worker-b's copy of it is refused all the same, and worker-a's is still a duplicate
        assertRefusedAndNothingChanged(() -> new CompleteTask(harness.now(), lease.leaseId(), "{}", "worker-b"));
        assertThat(harness.send(new CompleteTask(harness.now(), lease.leaseId(), "{}", "worker-a")))
                .isEqualTo(new TaskReported(lease.leaseId(), "wf-1", "a", TaskStatus.COMPLETED, true));
    }

    @Test
    void shouldRefuseAnAdminPrincipalToo() {
        // an admin is a principal like any other: it could poll as itself
        harness.submit("wf-1", dag(task("a")));
        GrantedLease lease = leaseAs("worker-a");
        assertRefusedAndNothingChanged(() -> new CompleteTask(harness.now(), lease.leaseId(), "{}", "ops"));
    }

    @Test
    void shouldRefuseAnotherPrincipalInABatchAndCommitTheRestOfTheEntry() {
        // given two leases of worker-a, reported in one log entry with a report of worker-b in between
        harness.submit("wf-1", dag(task("a")));
        harness.submit("wf-2", dag(task("a")));
        var leases = ((LeasesGranted) harness.send(new LeaseTasks(harness.now(), "worker-1", null, List.of("work"), 2,
                LEASE_MS, "poll-x", "worker-a"))).leases();
        Engine engine = harness.engine();
        long index = harness.index() + 1;
        // when
        var first = engine.apply(index, new CompleteTask(harness.now(), leases.get(0).leaseId(), "{}", "worker-a"));
        var forged = engine.apply(index, new FailTask(harness.now(), leases.get(1).leaseId(), "x", false, "worker-b"));
        var second = engine.apply(index, new CompleteTask(harness.now(), leases.get(1).leaseId(), "{}", "worker-a"));
        // then
        assertThat(first).isInstanceOf(TaskReported.class);
        assertThat(rejection(forged).type()).isEqualTo(ProblemType.LEASE_NOT_OWNED);
        assertThat(second).isInstanceOf(TaskReported.class);
        assertThat(harness.status("wf-2", "a")).isEqualTo(TaskStatus.COMPLETED);
    }

    @Test
    void shouldAcceptAnyPrincipalUnderALeaseGrantedWithoutOne() {
        // a lease granted by a command of a log written before leases had owners is owned by nobody in particular
        harness.submit("wf-1", dag(task("a")));
        GrantedLease lease = harness.leaseOne();
        assertThat(harness.task("wf-1", "a").leaseOwner()).isNull();
        assertThat(harness.send(new CompleteTask(harness.now(), lease.leaseId(), "{}", "anyone")))
                .isInstanceOf(TaskReported.class);
    }

    @Test
    void shouldGiveARetriedPollIdBackOnlyToThePrincipalThatPolled() {
        // given worker-a's poll "p" got a lease
        harness.submit("wf-1", dag(task("a")));
        harness.send(new LeaseTasks(harness.now(), "worker-1", null, List.of("work"), 1, LEASE_MS, "p", "worker-a"));
        // when worker-b replays the same worker id and poll id
        var replayed = (LeasesGranted) harness.send(new LeaseTasks(harness.now(), "worker-1", null, List.of("work"), 1,
                LEASE_MS, "p", "worker-b"));
        var own = (LeasesGranted) harness.send(new LeaseTasks(harness.now(), "worker-1", null, List.of("work"), 1,
                LEASE_MS, "p", "worker-a"));
        // then it gets nothing, and worker-a gets its lease back
        assertThat(replayed.replayed()).isTrue();
        assertThat(replayed.leases()).isEmpty();
        assertThat(own.leases()).hasSize(1);
    }

    @Test
    void shouldKeepTheOwnerThroughSnapshotAndReplayWithTheSameDigest() {
        // given
        harness.submit("wf-1", dag(task("a")));
        GrantedLease lease = leaseAs("worker-a");
        Engine replayed = new Engine();
        long index = 0;
        for (Command command : harness.log()) {
            replayed.apply(++index, CommandCodec.decode(CommandCodec.encode(command)));
        }
        // when
        harness.restoreFromSnapshot();
        // then
        assertThat(harness.engine().digest()).isEqualTo(replayed.digest());
        assertThat(harness.task("wf-1", "a").leaseOwner()).isEqualTo("worker-a");
        assertThat(rejection(harness.send(new CompleteTask(harness.now(), lease.leaseId(), "{}", "worker-b"))).type())
                .isEqualTo(ProblemType.LEASE_NOT_OWNED);
    }

    @Test
    void shouldRefuseAPrincipalNameTooLongToKeep() {
        harness.submit("wf-1", dag(task("a")));
        var result = harness.send(new LeaseTasks(harness.now(), "worker-1", null, List.of("work"), 1, LEASE_MS, null,
                "p".repeat(257)));
        assertThat(rejection(result).field()).isEqualTo("principal");
        assertThat(harness.status("wf-1", "a")).isEqualTo(TaskStatus.READY);
    }
}
