package io.flowraft.coordinator.engine.simulation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.flowraft.contracts.TaskStatus;
import io.flowraft.contracts.TriggerRule;
import io.flowraft.coordinator.engine.CommandResult;
import io.flowraft.coordinator.engine.CommandResult.GrantedLease;
import io.flowraft.coordinator.engine.CommandResult.LeasesGranted;
import io.flowraft.coordinator.engine.CommandResult.TaskReported;
import io.flowraft.coordinator.engine.Engine;
import io.flowraft.coordinator.engine.command.Command;
import io.flowraft.coordinator.engine.command.CompleteTask;
import io.flowraft.coordinator.engine.command.ExpireLeases;
import io.flowraft.coordinator.engine.command.FailTask;
import io.flowraft.coordinator.engine.command.LeaseTasks;
import io.flowraft.coordinator.engine.command.SubmitWorkflow;
import io.flowraft.coordinator.engine.model.RetryPolicy;
import io.flowraft.coordinator.engine.model.TaskSpec;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

/**
 * Shows that the invariants can fail: a real engine runs, and the step handed to the checker is tampered with
 * the way a broken engine would answer. A check that could never fire would prove nothing.
 */
class InvariantCheckerTest {

    private static final long T0 = Simulator.START;
    private static final RetryPolicy RETRY = new RetryPolicy(3, 0, 1.0, 0);

    private final SimWorkflow workflow = new SimWorkflow("wf-0", List.of(
            new TaskSpec("a", "alpha", List.of(), null, null, TriggerRule.ALL_SUCCESS, RETRY, 60_000, null),
            new TaskSpec("b", "alpha", List.of(), null, null, TriggerRule.ALL_SUCCESS, RETRY, 60_000, null)),
            new SimInput(false, 0), Map.of(), false);
    private final Engine engine = new Engine();
    private final InvariantChecker checker = new InvariantChecker(List.of(workflow));
    private long index;

    /** Applies a command for real, tampers with what the checker is shown, and checks. */
    private CommandResult step(Command command, UnaryOperator<CommandResult> answer, UnaryOperator<Observation> after,
            boolean shadowDiffers) {
        Observation before = Observation.of(engine.state());
        String digestBefore = engine.digest();
        CommandResult result = answer.apply(engine.apply(++index, command));
        String digest = engine.digest();
        Observation shown = after.apply(Observation.of(engine.state()));
        checker.afterCommand(new StepRecord(command, result, result, before, shown, digestBefore, digest,
                shadowDiffers ? "another digest" : digest, index, index, 0, 0, true));
        return result;
    }

    private CommandResult step(Command command) {
        return step(command, r -> r, o -> o, false);
    }

    private InvariantViolation violation(Runnable step) {
        return catchThrowableOfType(InvariantViolation.class, step::run);
    }

    private GrantedLease leaseOne(long now) {
        return ((LeasesGranted) step(new LeaseTasks(now, "w", List.of("alpha"), 1, 30_000, null))).leases().getFirst();
    }

    private void submit() {
        step(new SubmitWorkflow(T0, "wf-0", null, null, workflow.tasks(), workflow.input().json()));
    }

    @Test
    void shouldAcceptTheEngineAsItIs() {
        submit();
        GrantedLease lease = leaseOne(T0);
        step(new CompleteTask(T0, lease.leaseId(), "{\"v\":1}"));
        step(new CompleteTask(T0, lease.leaseId(), "{\"v\":1}"));
        assertThat(checker.counters().get("completions.duplicate")).isEqualTo(1);
    }

    @Test
    void shouldCatchAFencingTokenThatDoesNotIncrease() {
        // given a first lease with token 1, completed
        submit();
        GrantedLease first = leaseOne(T0);
        step(new CompleteTask(T0, first.leaseId(), "{\"v\":1}"));
        // when the next grant claims token 1 again
        InvariantViolation v = violation(() -> step(new LeaseTasks(T0, "w", List.of("alpha"), 1, 30_000, null),
                r -> reToken((LeasesGranted) r, 1), o -> o, false));
        // then
        assertThat(v.invariant()).isEqualTo(InvariantChecker.TOKENS_INCREASE);
    }

    @Test
    void shouldCatchAStaleReportAcceptedAsNew() {
        // given a lease that expired and was granted again under a new token
        submit();
        GrantedLease old = leaseOne(T0);
        step(new ExpireLeases(T0 + 30_000));
        leaseOne(T0 + 30_000);
        // when a completion under the old lease is answered as a new completion
        InvariantViolation v = violation(() -> step(new CompleteTask(T0 + 30_000, old.leaseId(), "{\"v\":1}"),
                r -> new TaskReported(old.leaseId(), "wf-0", old.taskId(), TaskStatus.COMPLETED, false), o -> o,
                false));
        // then
        assertThat(v.invariant()).isEqualTo(InvariantChecker.STALE_NOT_ACCEPTED);
    }

    @Test
    void shouldCatchADuplicateOfAReportNeverAccepted() {
        // given an expired lease, under which no failure was ever reported
        submit();
        GrantedLease old = leaseOne(T0);
        step(new ExpireLeases(T0 + 30_000));
        // when a late failure under it is answered as the duplicate of an earlier one
        InvariantViolation v = violation(() -> step(new FailTask(T0 + 30_000, old.leaseId(), "late", false),
                r -> new TaskReported(old.leaseId(), "wf-0", old.taskId(), TaskStatus.READY, true), o -> o, false));
        // then
        assertThat(v.invariant()).isEqualTo(InvariantChecker.STALE_NOT_ACCEPTED);
    }

    @Test
    void shouldCatchATerminalTaskThatChanges() {
        // given a completed task
        submit();
        GrantedLease lease = leaseOne(T0);
        step(new CompleteTask(T0, lease.leaseId(), "{\"v\":1}"));
        // when a later step shows it with another output
        InvariantViolation v = violation(() -> step(new LeaseTasks(T0, "w", List.of("alpha"), 1, 30_000, null), r -> r,
                o -> withOutput(o, lease.taskId(), "{\"v\":2}"), false));
        // then
        assertThat(v.invariant()).isEqualTo(InvariantChecker.TERMINAL_FINAL);
    }

    @Test
    void shouldCatchReplicasThatDisagree() {
        InvariantViolation v = violation(() -> step(
                new SubmitWorkflow(T0, "wf-0", null, null, workflow.tasks(), workflow.input().json()), r -> r, o -> o,
                true));
        assertThat(v.invariant()).isEqualTo(InvariantChecker.REPLICAS_AGREE);
    }

    @Test
    void shouldCatchATaskLeasedToASecondHolder() {
        // given a leased task
        submit();
        GrantedLease lease = leaseOne(T0);
        // when the next poll is answered with the same task under a new token while the first lease is held
        InvariantViolation v = violation(() -> step(new LeaseTasks(T0, "w2", List.of("alpha"), 1, 30_000, null),
                r -> new LeasesGranted(List.of(new GrantedLease("wf-0." + lease.taskId() + ".9", "wf-0", lease.taskId(),
                        "alpha", 2, "{}", "wf-0/" + lease.taskId(), T0 + 30_000, 30_000)), false), o -> o, false));
        // then
        assertThat(v.invariant()).isEqualTo(InvariantChecker.SINGLE_HOLDER);
    }

    @Test
    void shouldCatchAWorkflowLeftRunningByTheDrain() {
        submit();
        InvariantViolation v = violation(() -> checker.afterDrain(Observation.of(engine.state())));
        assertThat(v.invariant()).isEqualTo(InvariantChecker.DRAINED);
    }

    private static LeasesGranted reToken(LeasesGranted granted, long token) {
        GrantedLease l = granted.leases().getFirst();
        return new LeasesGranted(List.of(new GrantedLease(l.workflowId() + "." + l.taskId() + "." + token,
                l.workflowId(), l.taskId(), l.type(), l.attempt(), l.input(), l.idempotencyKey(), l.expiresAt(),
                l.remainingMs())),
                false);
    }

    private static Observation withOutput(Observation o, String taskId, String output) {
        Map<String, Observation.Workflow> workflows = new LinkedHashMap<>();
        o.workflows().forEach((id, w) -> {
            List<Observation.Task> tasks = w.tasks().stream().map(t -> !t.spec().id().equals(taskId) ? t
                    : new Observation.Task(t.workflowId(), t.spec(), t.status(), t.attempt(), output, t.error(),
                            t.fencingToken(), t.leaseWorker(), t.leaseExpiresAt(), t.leaseDeadline(), t.leaseMs(),
                            t.notBefore(), t.readySeq(), t.finishedAt()))
                    .toList();
            workflows.put(id, new Observation.Workflow(w.id(), w.status(), w.unfinishedTasks(), tasks, w.history()));
        });
        return new Observation(o.lastFencingToken(), workflows);
    }
}
