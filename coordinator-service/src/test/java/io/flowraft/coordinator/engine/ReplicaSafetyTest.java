package io.flowraft.coordinator.engine;

import static io.flowraft.coordinator.engine.EngineHarness.dag;
import static io.flowraft.coordinator.engine.EngineHarness.rejection;
import static io.flowraft.coordinator.engine.EngineHarness.task;
import static org.assertj.core.api.Assertions.assertThat;

import io.flowraft.contracts.ProblemType;
import io.flowraft.contracts.TaskStatus;
import io.flowraft.contracts.WorkflowStatus;
import io.flowraft.coordinator.engine.CommandResult.GrantedLease;
import io.flowraft.coordinator.engine.CommandResult.LeasesExpired;
import io.flowraft.coordinator.engine.CommandResult.LimitsSet;
import io.flowraft.coordinator.engine.CommandResult.Rejection;
import io.flowraft.coordinator.engine.CommandResult.TaskReported;
import io.flowraft.coordinator.engine.CommandResult.WorkflowSubmitted;
import io.flowraft.coordinator.engine.command.CancelWorkflow;
import io.flowraft.coordinator.engine.command.ConfigureEngine;
import io.flowraft.coordinator.engine.command.LeaseTasks;
import io.flowraft.coordinator.engine.event.Event;
import io.flowraft.coordinator.engine.model.TaskSpec;
import io.flowraft.coordinator.engine.state.SnapshotCodec;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * No command can make the engine hold more than its bounds or leave it half changed: every command's work and
 * the memory it adds are bounded before it runs, the same way on every replica, and a command is all or
 * nothing. (The replicated-cluster side of the same rule is in {@code raft.ReplicaSafetyOnRaftTest} and
 * {@code cluster.PoisonRequestsTest}.)
 */
class ReplicaSafetyTest {

    private static final int KIB = 1024;

    private final EngineHarness harness = new EngineHarness();

    /** The request of the finding: 1,000 roots that each copy a 250 KiB input 60 times (15 MiB each). */
    private static List<TaskSpec> amplifyingDag(int tasks) {
        String copies = "{\"copies\":[" + String.join(",", Collections.nCopies(60, "\"${input.blob}\"")) + "]}";
        List<TaskSpec> dag = new ArrayList<>();
        for (int i = 0; i < tasks; i++) {
            dag.add(task("t" + i).input(copies).build());
        }
        return dag;
    }

    private static String blobInput(int bytes) {
        return "{\"blob\":\"" + "x".repeat(bytes) + "\"}";
    }

    /** The snapshot bytes but the applied index, which a rejected command advances like any other. */
    private static byte[] withoutAppliedIndex(byte[] snapshot) {
        java.util.Arrays.fill(snapshot, SnapshotCodec.APPLIED_INDEX_OFFSET, SnapshotCodec.APPLIED_INDEX_OFFSET + 8, (byte) 0);
        return snapshot;
    }

    private void configure(EngineLimits limits) {
        assertThat(harness.send(new ConfigureEngine(harness.now(), limits, false))).isInstanceOf(LimitsSet.class);
    }

    @Test
    void shouldRejectTheAmplifyingSubmitAsAWholeNamingTheTaskAndTheBound() {
        // given the definition of the finding
        harness.register("amplify", 1, amplifyingDag(1_000));
        String digest = harness.engine().digest();
        long held = harness.engine().state().heldBytes();
        // when it is submitted with a 250 KiB blob
        var result = harness.submitDefinition("wf-1", "amplify", 1, blobInput(250 * KIB));
        // then it is refused as a result, naming the first task and the bound, and nothing of it is kept
        Rejection rejection = rejection(result);
        assertThat(rejection.type()).isEqualTo(ProblemType.LIMIT_EXCEEDED);
        assertThat(rejection.field()).isEqualTo("definition");
        assertThat(rejection.message()).contains("task 't0'").contains("maxPayloadBytes (262144 bytes)");
        assertThat(harness.workflow("wf-1")).isNull();
        assertThat(harness.engine().digest()).isEqualTo(digest);
        assertThat(harness.engine().state().heldBytes()).isEqualTo(held);
        // and a small input, whose copies fit, still starts the workflow
        assertThat(harness.submitDefinition("wf-2", "amplify", 1, blobInput(100))).isInstanceOf(WorkflowSubmitted.class);
    }

    @Test
    void shouldRejectASubmitWhoseFirstTasksTogetherPassTheWorkflowBudget() {
        // given renders that each fit maxPayloadBytes (60 copies of 4 KiB = 240 KiB), but not 1,000 of them
        var result = harness.submit("wf-1", blobInput(4 * KIB), amplifyingDag(1_000));
        // then the inline DAG's overflowing task is named
        Rejection rejection = rejection(result);
        assertThat(rejection.type()).isEqualTo(ProblemType.LIMIT_EXCEEDED);
        assertThat(rejection.field()).matches("tasks\\[\\d+]\\.input");
        assertThat(rejection.message()).contains("maxWorkflowBytes (" + 8 * 1024 * 1024 + ")");
        assertThat(harness.engine().state().workflows()).isEmpty();
    }

    @Test
    void shouldFailATaskWhoseInputRendersTooLargeOnceItsUpstreamOutputIsKnown() {
        // given b copies a's output 60 times
        String copies = "{\"copies\":[" + String.join(",", Collections.nCopies(60, "\"${tasks.a.output.blob}\"")) + "]}";
        harness.submit("wf-1", dag(task("a"), task("b").after("a").input(copies), task("c").after("b")));
        // when a completes with a 200 KiB output
        GrantedLease a = harness.leaseOne();
        assertThat(harness.complete(a.leaseId(), blobInput(200 * KIB))).isInstanceOf(TaskReported.class);
        // then b fails for good with the bound, its dependent is skipped, and the workflow ends
        assertThat(harness.status("wf-1", "b")).isEqualTo(TaskStatus.FAILED);
        assertThat(harness.task("wf-1", "b").error()).contains("maxPayloadBytes (262144 bytes)");
        assertThat(harness.task("wf-1", "b").attempt()).isZero();
        assertThat(harness.status("wf-1", "c")).isEqualTo(TaskStatus.SKIPPED);
        assertThat(harness.status("wf-1")).isEqualTo(WorkflowStatus.FAILED);
    }

    @Test
    void shouldFailACompletionTheWorkflowHasNoRoomForAndAnswerItsRepeatTheSame() {
        // given a workflow budget of 600 KiB and three tasks that each complete with 250 KiB
        configure(EngineLimits.DEFAULT.withMaxWorkflowBytes(600 * KIB));
        harness.submit("wf-1", dag(task("a"), task("b"), task("c")));
        List<GrantedLease> leases = harness.lease("w", 3, "work");
        assertThat(harness.complete(leases.get(0).leaseId(), blobInput(250 * KIB))).isInstanceOf(TaskReported.class);
        assertThat(harness.complete(leases.get(1).leaseId(), blobInput(250 * KIB))).isInstanceOf(TaskReported.class);
        // when the third output would take the workflow past its budget
        var third = harness.complete(leases.get(2).leaseId(), blobInput(250 * KIB));
        // then the attempt is committed as failed for good: the workflow does not hold the output
        assertThat(third).isEqualTo(new TaskReported(leases.get(2).leaseId(), "wf-1", "c", TaskStatus.FAILED, false));
        assertThat(harness.task("wf-1", "c").error()).startsWith("output refused").contains("maxWorkflowBytes");
        assertThat(harness.workflow("wf-1").heldBytes()).isLessThanOrEqualTo(600 * KIB);
        // and the same report again gets the same answer
        assertThat(harness.complete(leases.get(2).leaseId(), blobInput(250 * KIB)))
                .isEqualTo(new TaskReported(leases.get(2).leaseId(), "wf-1", "c", TaskStatus.FAILED, true));
    }

    @Test
    void shouldStopRetryingOnceTheWorkflowHasNoRoomForAnotherAttempt() {
        // given a task with 1,000 attempts whose every failure keeps a 4 KiB error, in a 1 MiB workflow
        configure(EngineLimits.DEFAULT.withMaxWorkflowBytes(1024 * KIB));
        harness.submit("wf-1", dag(task("a").retry(1_000, 0, 1.0, 0)));
        // when it fails again and again
        int attempts = 0;
        while (harness.status("wf-1", "a") == TaskStatus.READY && attempts < 1_000) {
            GrantedLease lease = harness.leaseOne();
            harness.fail(lease.leaseId(), "e".repeat(4 * KIB), true);
            attempts++;
        }
        // then it fails for good long before its attempts are spent, saying why, and the workflow stays bounded
        assertThat(harness.status("wf-1", "a")).isEqualTo(TaskStatus.FAILED);
        assertThat(attempts).isLessThan(300);
        assertThat(harness.task("wf-1", "a").error()).contains("not retried").contains("maxWorkflowBytes");
        assertThat(harness.workflow("wf-1").heldBytes()).isLessThanOrEqualTo(1024 * KIB + 8 * KIB);
    }

    @Test
    void shouldRefuseNewWorkPastTheStateBudgetWhileRunningWorkFinishes() {
        // given a state budget of 600 KiB, which two workflows with a 200 KiB input fill
        configure(new EngineLimits(1_000, 256 * KIB, 64, 4 * KIB, 32, 1_000, 512 * KIB, 600 * KIB));
        assertThat(harness.submit("wf-1", blobInput(200 * KIB), dag(task("a")))).isInstanceOf(WorkflowSubmitted.class);
        assertThat(harness.submit("wf-2", blobInput(200 * KIB), dag(task("a")))).isInstanceOf(WorkflowSubmitted.class);
        // when a third is submitted, and a 250 KiB definition registered
        var third = harness.submit("wf-3", blobInput(200 * KIB), dag(task("a")));
        var definition = harness.register("big", 1, dag(task("a").input(blobInput(250 * KIB))));
        // then both are refused with state-budget and change nothing
        assertThat(rejection(third).type()).isEqualTo(ProblemType.STATE_BUDGET);
        assertThat(rejection(third).message()).contains("maxStateBytes " + 600 * KIB);
        assertThat(harness.workflow("wf-3")).isNull();
        assertThat(rejection(definition).type()).isEqualTo(ProblemType.STATE_BUDGET);
        assertThat(harness.engine().state().definitions()).isEmpty();
        // and the running workflows still complete
        assertThat(harness.runAll("{}")).isEqualTo(2);
        assertThat(harness.status("wf-1")).isEqualTo(WorkflowStatus.COMPLETED);
    }

    @Test
    void shouldUndoEverythingAHandlerDidBeforeItThrew() {
        // given an engine whose cancel handler throws after it has written its events (a bug)
        EngineHarness faulty = new EngineHarness(new Engine(EngineLimits.DEFAULT, dispatch -> (command, state, events) -> {
            CommandResult result = dispatch.handle(command, state, events);
            if (command instanceof CancelWorkflow cancel && "boom".equals(cancel.reason())) {
                throw new IllegalStateException("injected after " + events.written().size() + " events");
            }
            return result;
        }));
        faulty.submit("wf-1", dag(task("a"), task("b"), task("c").after("a")));
        GrantedLease a = faulty.leaseOne();
        String digest = faulty.engine().digest();
        byte[] snapshot = withoutAppliedIndex(faulty.engine().snapshot());
        long held = faulty.engine().state().heldBytes();
        // when the cancel is applied
        var result = faulty.send(new CancelWorkflow(faulty.now(), "wf-1", "boom"));
        // then it is answered as an internal rejection and the state is exactly as before, indexes included
        assertThat(rejection(result).type()).isEqualTo(ProblemType.INTERNAL);
        assertThat(faulty.engine().digest()).isEqualTo(digest);
        assertThat(withoutAppliedIndex(faulty.engine().snapshot())).isEqualTo(snapshot);
        assertThat(faulty.engine().state().heldBytes()).isEqualTo(held);
        assertThat(faulty.status("wf-1")).isEqualTo(WorkflowStatus.RUNNING);
        assertThat(faulty.lease("w", 5, "work")).extracting(GrantedLease::taskId).containsExactly("b");
        assertThat(faulty.complete(a.leaseId(), "{}")).isInstanceOf(TaskReported.class);
        assertThat(faulty.status("wf-1", "c")).isEqualTo(TaskStatus.READY);
        // and another replica that replays the same log reaches the same state
        EngineHarness replica = new EngineHarness(new Engine(EngineLimits.DEFAULT, dispatch -> (command, state, events) -> {
            CommandResult r = dispatch.handle(command, state, events);
            if (command instanceof CancelWorkflow cancel && "boom".equals(cancel.reason())) {
                throw new IllegalStateException("injected");
            }
            return r;
        }));
        faulty.log().forEach(replica::send);
        assertThat(replica.engine().digest()).isEqualTo(faulty.engine().digest());
    }

    @Test
    void shouldUndoAHandlerThatRejectsAfterWritingEvents() {
        // given a handler that writes an event and then answers a rejection (which must mean: nothing changed)
        EngineHarness odd = new EngineHarness(new Engine(EngineLimits.DEFAULT, dispatch -> (command, state, events) -> {
            if (command instanceof CancelWorkflow) {
                events.append(new Event.TaskCancelled("wf-1", "a"));
                return Rejection.of(ProblemType.WORKFLOW_FINISHED, "changed my mind");
            }
            return dispatch.handle(command, state, events);
        }));
        odd.submit("wf-1", dag(task("a")));
        String digest = odd.engine().digest();
        // when
        odd.send(new CancelWorkflow(odd.now(), "wf-1", null));
        // then
        assertThat(odd.status("wf-1", "a")).isEqualTo(TaskStatus.READY);
        assertThat(odd.workflow("wf-1").unfinishedTasks()).isEqualTo(1);
        assertThat(odd.engine().digest()).isEqualTo(digest);
    }

    @Test
    void shouldExpireAtMostAThousandLeasesPerCommand() {
        // given 1,500 leases that are all overdue
        for (int w = 0; w < 2; w++) {
            List<TaskSpec> dag = new ArrayList<>();
            for (int i = 0; i < 750; i++) {
                dag.add(task("t" + i).build());
            }
            harness.submit("wf-" + w, dag);
        }
        assertThat(harness.lease("w", 1_000, "work")).hasSize(1_000);
        assertThat(harness.lease("w", 1_000, "work")).hasSize(500);
        harness.advance(EngineHarness.LEASE_MS + 1);
        // when expiry is proposed twice, then the first ends 1,000 and the second the rest
        assertThat(harness.expire()).isEqualTo(new LeasesExpired(1_000));
        assertThat(harness.engine().state().nextLeaseExpiry()).isLessThanOrEqualTo(harness.now());
        assertThat(harness.expire()).isEqualTo(new LeasesExpired(500));
        assertThat(harness.expire()).isEqualTo(new LeasesExpired(0));
    }

    @Test
    void shouldLookAtNoMoreThanTenThousandReadyTasksPerPoll() {
        // given 10,000 READY tasks held back by a concurrency limit, ahead of one that is free
        harness.submit("wf-hold", dag(task("holder").concurrency("k", 1)));
        GrantedLease holder = harness.leaseOne();
        for (int w = 0; w < 10; w++) {
            List<TaskSpec> dag = new ArrayList<>();
            for (int i = 0; i < 1_000; i++) {
                dag.add(task("t" + i).concurrency("k", 1).build());
            }
            harness.submit("wf-" + w, dag);
        }
        harness.submit("wf-free", dag(task("free")));
        // when a worker polls, then the scan stops before it reaches the free task
        assertThat(harness.lease("w", 1, "work")).isEmpty();
        // and once the slot frees, the queue moves again
        harness.complete(holder.leaseId(), "{}");
        assertThat(harness.lease("w", 1, "work")).extracting(GrantedLease::workflowId).containsExactly("wf-0");
    }

    @Test
    void shouldRejectASubmitWhoseFirstTasksConditionsSpendTheCommandsBudget() {
        // given 100 roots whose condition costs a million units each (about 0.2 s apiece)
        String costly = "input.items.all(x, input.items.all(y, x + y >= 0))";
        StringBuilder items = new StringBuilder("[0");
        for (int i = 1; i < 1_000; i++) {
            items.append(',').append(i);
        }
        String input = "{\"items\":" + items + "]}";
        List<TaskSpec> dag = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            dag.add(task("t" + i).when(costly).build());
        }
        // when submitted, then refused before it could hold the apply thread for 20 s
        long started = System.nanoTime();
        Rejection rejection = rejection(harness.submit("wf-1", input, dag));
        assertThat(rejection.type()).isEqualTo(ProblemType.LIMIT_EXCEEDED);
        assertThat(rejection.message()).contains("conditions of its first tasks cost more together");
        assertThat(rejection.field()).matches("tasks\\[\\d+]\\.when");
        assertThat(System.nanoTime() - started).as("nanoseconds spent").isLessThan(10_000_000_000L);
    }

    @Test
    void shouldRefuseADagWithTooManyDifferentConditions() {
        List<TaskSpec> dag = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            dag.add(task("t" + i).when("input.n == " + i).build());
        }
        Rejection rejection = rejection(harness.submit("wf-1", "{\"n\":1}", dag));
        assertThat(rejection.type()).isEqualTo(ProblemType.LIMIT_EXCEEDED);
        assertThat(rejection.message()).contains("at most 128 different conditions");
    }

    @Test
    void shouldKeepOnlyTheFirstBootstrapOfTheLimitsAndAlwaysAnAdminChange() {
        EngineLimits first = EngineLimits.DEFAULT.withMaxStateBytes(64L * 1024 * 1024);
        EngineLimits second = EngineLimits.DEFAULT.withMaxStateBytes(32L * 1024 * 1024);
        assertThat(harness.send(new ConfigureEngine(harness.now(), first, true))).isEqualTo(new LimitsSet(first, true));
        assertThat(harness.send(new ConfigureEngine(harness.now(), second, true))).isEqualTo(new LimitsSet(first, false));
        assertThat(harness.engine().limits()).isEqualTo(first);
        assertThat(harness.send(new ConfigureEngine(harness.now(), second, false))).isEqualTo(new LimitsSet(second, true));
        assertThat(harness.engine().limits()).isEqualTo(second);
        // limits out of range are refused naming the field
        var tooBig = harness.send(new ConfigureEngine(harness.now(), second.withMaxWorkflowBytes(1L << 40), false));
        assertThat(rejection(tooBig).field()).isEqualTo("maxWorkflowBytes");
        var inconsistent = harness.send(new ConfigureEngine(harness.now(), second.withMaxStateBytes(1024), false));
        assertThat(rejection(inconsistent).field()).isEqualTo("maxStateBytes");
        // and the limits are part of the snapshot
        assertThat(Engine.restore(harness.engine().snapshot()).limits()).isEqualTo(second);
    }

    @Test
    void shouldCountTheSameBytesIncrementallyAsFromScratch() {
        // given a workload with renders, outputs, errors, retries, expiries and cancels
        harness.submit("wf-1", "{\"x\":\"" + "y".repeat(500) + "\"}",
                dag(task("a").input("{\"v\":\"${input.x}\"}"), task("b").after("a").input("{\"w\":\"${tasks.a.output}\"}")));
        harness.submit("wf-2", dag(task("a"), task("b")));
        GrantedLease a = harness.leaseOne();
        harness.complete(a.leaseId(), "{\"out\":\"" + "z".repeat(300) + "\"}");
        List<GrantedLease> more = harness.lease("w", 5, "work");
        harness.fail(more.getFirst().leaseId(), "boom", true);
        harness.advance(EngineHarness.LEASE_MS + 5_000).expire();
        harness.cancel("wf-2");
        harness.submit("wf-3", dag(task("a")));
        harness.send(new LeaseTasks(harness.now(), "w", "loop-1", List.of("work"), 3, 30_000, "p-1"));
        // when the state is restored from its snapshot
        Engine restored = Engine.restore(harness.engine().snapshot());
        // then the bytes and digest counted from scratch equal those kept as commands applied
        assertThat(restored.state().heldBytes()).isEqualTo(harness.engine().state().heldBytes()).isPositive();
        assertThat(restored.digest()).isEqualTo(harness.engine().digest());
        assertThat(harness.engine().state().workflows().values().stream().mapToLong(w -> w.heldBytes()).sum())
                .as("the poll record counts too").isLessThan(harness.engine().state().heldBytes());
    }
}
