package io.flowraft.coordinator.engine.simulation;

import io.flowraft.contracts.ProblemType;
import io.flowraft.contracts.TaskStatus;
import io.flowraft.contracts.TriggerRule;
import io.flowraft.contracts.WorkflowStatus;
import io.flowraft.coordinator.engine.CommandResult;
import io.flowraft.coordinator.engine.CommandResult.GrantedLease;
import io.flowraft.coordinator.engine.CommandResult.LeaseExtended;
import io.flowraft.coordinator.engine.CommandResult.LeasesExpired;
import io.flowraft.coordinator.engine.CommandResult.LeasesGranted;
import io.flowraft.coordinator.engine.CommandResult.Rejection;
import io.flowraft.coordinator.engine.CommandResult.TaskReported;
import io.flowraft.coordinator.engine.CommandResult.WorkflowCancelled;
import io.flowraft.coordinator.engine.CommandResult.WorkflowSubmitted;
import io.flowraft.coordinator.engine.command.AcknowledgeExport;
import io.flowraft.coordinator.engine.command.ApplyRetention;
import io.flowraft.coordinator.engine.command.CancelWorkflow;
import io.flowraft.coordinator.engine.command.Command;
import io.flowraft.coordinator.engine.command.CompleteTask;
import io.flowraft.coordinator.engine.command.ConfigureEngine;
import io.flowraft.coordinator.engine.command.ConfigureTaskType;
import io.flowraft.coordinator.engine.command.ExpireLeases;
import io.flowraft.coordinator.engine.command.FailTask;
import io.flowraft.coordinator.engine.command.Heartbeat;
import io.flowraft.coordinator.engine.command.LeaseTasks;
import io.flowraft.coordinator.engine.command.RegisterDefinition;
import io.flowraft.coordinator.engine.command.SubmitWorkflow;
import io.flowraft.coordinator.engine.model.LeaseId;
import io.flowraft.coordinator.engine.state.HistoryEntry;
import io.flowraft.coordinator.engine.state.HistoryKind;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The invariants, checked after every step against the engine state and everything answered so far. Each
 * check throws an {@link InvariantViolation} naming it. Besides the safety invariants the simulation is
 * about (see {@link EngineSimulationTest}), it holds the engine to a model of its documented behaviour
 * (which report is accepted, what a retry schedules, which tasks a poll gets) so that an engine that
 * refused everything could not pass.
 */
final class InvariantChecker {

    static final String SINGLE_HOLDER = "single-lease-holder";
    static final String TOKENS_INCREASE = "fencing-tokens-increase";
    static final String TERMINAL_FINAL = "terminal-task-never-changes";
    static final String LEASED_WHEN_RUNNABLE = "leased-only-when-runnable";
    static final String STALE_NOT_ACCEPTED = "stale-report-never-accepted";
    static final String REPLICAS_AGREE = "replicas-agree";
    static final String RESTORE_EXACT = "restore-is-exact";
    static final String LEGAL_TRANSITIONS = "legal-transitions";
    static final String HISTORY_APPEND_ONLY = "history-append-only";
    static final String REJECTION_CHANGES_NOTHING = "rejection-changes-nothing";
    static final String RESOLUTION = "resolution-follows-rules";
    static final String PROGRESS = "no-task-stuck-pending";
    static final String WORKFLOW_STATUS = "workflow-status-consistent";
    static final String MODEL = "answers-follow-model";
    static final String DRAINED = "every-workflow-ends";

    private static final Pattern OUTPUT_V = Pattern.compile("\\{\"v\":(-?\\d+)}");
    private static final Set<HistoryKind> TERMINAL_KINDS =
            EnumSet.of(HistoryKind.TASK_COMPLETED, HistoryKind.TASK_FAILED, HistoryKind.TASK_SKIPPED,
                    HistoryKind.TASK_CANCELLED);

    /** A poll id and the leases it was answered with, as the checker saw it. */
    private record Poll(String pollId, List<String> leaseIds) {
    }

    private final Map<String, SimWorkflow> workflows = new HashMap<>();
    private final Counters counters = new Counters();

    private long highestToken;
    private final Map<String, List<Object>> terminalFacts = new HashMap<>();
    private final Map<String, String> acceptedCompletions = new HashMap<>(); // lease id -> output
    private final Set<String> acceptedFailures = new HashSet<>();
    private final Map<String, Poll> lastPolls = new HashMap<>();

    InvariantChecker(List<SimWorkflow> workflows) {
        for (SimWorkflow w : workflows) {
            this.workflows.put(w.id(), w);
        }
    }

    Counters counters() {
        return counters;
    }

    // ---- after every command ----

    void afterCommand(StepRecord step) {
        checkReplicas(step);
        if (step.result() instanceof Rejection rejection) {
            counters.add("rejected." + rejection.type().slug());
            expect(step.digestAfter().equals(step.digestBefore()), REJECTION_CHANGES_NOTHING,
                    () -> "rejected with " + rejection + " but the state changed");
        }
        expect(step.after().lastFencingToken() >= step.before().lastFencingToken(), TOKENS_INCREASE,
                () -> "the last fencing token went back from " + step.before().lastFencingToken() + " to "
                        + step.after().lastFencingToken());
        checkState(step.command(), step.before(), step.after());
        switch (step.command()) {
            case LeaseTasks c -> checkLease(c, step);
            case CompleteTask c -> checkCompletion(c, step);
            case FailTask c -> checkFailure(c, step);
            case Heartbeat c -> checkHeartbeat(c, step);
            case ExpireLeases c -> checkExpiry(c, step);
            case CancelWorkflow c -> checkCancel(c, step);
            case SubmitWorkflow c -> checkSubmit(c, step);
            case RegisterDefinition c -> throw new IllegalStateException("The simulation registers no definitions");
            case ConfigureEngine c -> throw new IllegalStateException("The simulation changes no limits");
            case AcknowledgeExport c -> throw new IllegalStateException("The simulation exports nothing");
            case ApplyRetention c -> throw new IllegalStateException("The simulation evicts nothing");
            case ConfigureTaskType c -> throw new IllegalStateException("The simulation sets no rate limits");
        }
    }

    /** The main replica was replaced by one restored from its snapshot: nothing observable may differ. */
    void afterRestore(Observation before, Observation after, String digestBefore, String digestAfter,
            long appliedBefore, long appliedAfter) {
        counters.add("restores");
        expect(digestAfter.equals(digestBefore), RESTORE_EXACT,
                () -> "the digest changed from " + digestBefore + " to " + digestAfter);
        expect(appliedAfter == appliedBefore, RESTORE_EXACT,
                () -> "the applied index changed from " + appliedBefore + " to " + appliedAfter);
        expect(after.equals(before), RESTORE_EXACT,
                () -> "the restored state differs:\n  before " + before + "\n  after  " + after);
    }

    /** After the drain: every workflow that was submitted must have ended. */
    void afterDrain(Observation state) {
        for (Observation.Workflow w : state.workflows().values()) {
            expect(w.status().isTerminal(), DRAINED, () -> "workflow " + w.id() + " is still " + w.status()
                    + " after the drain; tasks " + describe(w.tasks()));
            counters.add("workflow." + w.status());
        }
        for (String id : workflows.keySet()) {
            expect(state.workflows().containsKey(id), DRAINED, () -> "workflow " + id + " was never submitted");
        }
    }

    // ---- the replicated-state-machine invariant ----

    private void checkReplicas(StepRecord step) {
        expect(Objects.equals(step.result(), step.shadowResult()), REPLICAS_AGREE,
                () -> "the main replica answered " + step.result() + " but the shadow " + step.shadowResult());
        expect(step.digestAfter().equals(step.shadowDigest()), REPLICAS_AGREE,
                () -> "digest " + step.digestAfter() + " differs from the shadow's " + step.shadowDigest());
        expect(step.appliedIndex() == step.shadowAppliedIndex(), REPLICAS_AGREE,
                () -> "applied index " + step.appliedIndex() + " differs from the shadow's "
                        + step.shadowAppliedIndex());
        if (step.clockMonotonic()) {
            expect(step.nextDueTime() == step.shadowNextDueTime(), REPLICAS_AGREE,
                    () -> "nextDueTime " + step.nextDueTime() + " differs from the shadow's "
                            + step.shadowNextDueTime());
        }
    }

    // ---- invariants over the whole state ----

    private void checkState(Command command, Observation before, Observation after) {
        Map<Long, String> holders = new HashMap<>();
        for (Observation.Workflow w : after.workflows().values()) {
            Observation.Workflow was = before.workflows().get(w.id());
            checkHistory(was, w);
            int unfinished = 0;
            for (Observation.Task t : w.tasks()) {
                Observation.Task prior = was == null ? null : was.task(t.spec().id());
                if (!t.status().isTerminal()) {
                    unfinished++;
                }
                checkTerminalFacts(t);
                checkTransition(command, prior, t, after.lastFencingToken());
                if (t.status() == TaskStatus.LEASED) {
                    String other = holders.putIfAbsent(t.fencingToken(), t.key());
                    expect(other == null, SINGLE_HOLDER, () -> "fencing token " + t.fencingToken() + " is held by both "
                            + other + " and " + t.key());
                    expect(t.leaseWorker() != null, SINGLE_HOLDER, () -> t.key() + " is LEASED to no worker");
                }
                if ((prior == null || prior.status() == TaskStatus.PENDING) && t.status() != TaskStatus.PENDING) {
                    checkResolution(command, w, t);
                }
            }
            checkWorkflow(was, w, unfinished);
        }
        for (String id : before.workflows().keySet()) {
            expect(after.workflows().containsKey(id), LEGAL_TRANSITIONS, () -> "workflow " + id + " disappeared");
        }
    }

    private void checkTerminalFacts(Observation.Task t) {
        List<Object> known = terminalFacts.get(t.key());
        if (known != null) {
            expect(known.equals(t.terminalFacts()), TERMINAL_FINAL, () -> t.key() + " was terminal with " + known
                    + " and is now " + t.terminalFacts());
        } else if (t.status().isTerminal()) {
            terminalFacts.put(t.key(), t.terminalFacts());
        }
    }

    private void checkTransition(Command command, Observation.Task prior, Observation.Task t, long lastToken) {
        TaskStatus from = prior == null ? TaskStatus.PENDING : prior.status();
        TaskStatus to = t.status();
        boolean legal = from == to || switch (from) {
            case PENDING -> to == TaskStatus.READY || to == TaskStatus.SKIPPED || to == TaskStatus.FAILED
                    || to == TaskStatus.CANCELLED;
            case READY -> to == TaskStatus.LEASED || to == TaskStatus.CANCELLED;
            case LEASED -> to == TaskStatus.COMPLETED || to == TaskStatus.FAILED || to == TaskStatus.READY
                    || to == TaskStatus.CANCELLED;
            case COMPLETED, FAILED, SKIPPED, CANCELLED -> false;
        };
        expect(legal, from.isTerminal() ? TERMINAL_FINAL : LEGAL_TRANSITIONS,
                () -> t.key() + " went from " + from + " to " + to + " on " + Simulator.describe(command));
        if (to == TaskStatus.LEASED) {
            expect(t.fencingToken() > 0 && t.fencingToken() <= lastToken, TOKENS_INCREASE,
                    () -> t.key() + " is leased under token " + t.fencingToken() + " but the last token granted is "
                            + lastToken);
            if (from == TaskStatus.LEASED) {
                // Only LeaseTasks hands a task to a holder, and only a READY one: a held task keeps its holder.
                expect(prior.fencingToken() == t.fencingToken() && prior.leaseWorker().equals(t.leaseWorker()),
                        SINGLE_HOLDER,
                                () -> t.key() + " changed holder from " + prior.leaseId() + " (" + prior.leaseWorker()
                                + ") to " + t.leaseId() + " (" + t.leaseWorker() + ") without the first lease ending");
            }
        }
        if (from == TaskStatus.READY && to == TaskStatus.LEASED) {
            expect(command instanceof LeaseTasks, LEGAL_TRANSITIONS,
                    () -> t.key() + " was leased by " + Simulator.describe(command));
        }
    }

    private void checkHistory(Observation.Workflow was, Observation.Workflow w) {
        if (was != null) {
            expect(w.history().size() >= was.history().size()
                            && w.history().subList(0, was.history().size()).equals(was.history()),
                    HISTORY_APPEND_ONLY, () -> "the history of " + w.id() + " was rewritten");
        }
        Map<String, Integer> completions = new HashMap<>();
        Map<String, Integer> endings = new HashMap<>();
        for (HistoryEntry e : w.history()) {
            if (e.kind() == HistoryKind.TASK_COMPLETED) {
                completions.merge(e.taskId(), 1, Integer::sum);
            }
            if (TERMINAL_KINDS.contains(e.kind())) {
                endings.merge(e.taskId(), 1, Integer::sum);
            }
        }
        completions.forEach((task, n) -> expect(n == 1, STALE_NOT_ACCEPTED,
                () -> "task " + w.id() + "/" + task + " was completed " + n + " times: " + w.history()));
        endings.forEach((task, n) -> expect(n == 1, TERMINAL_FINAL,
                () -> "task " + w.id() + "/" + task + " ended " + n + " times: " + w.history()));
    }

    /** A task just left PENDING: it must be because its dependencies ended, and as the rules say. */
    private void checkResolution(Command command, Observation.Workflow w, Observation.Task t) {
        if (t.status() == TaskStatus.CANCELLED) {
            expect(command instanceof CancelWorkflow, RESOLUTION,
                    () -> t.key() + " was cancelled by " + Simulator.describe(command));
            return;
        }
        List<TaskStatus> deps = dependencyStatuses(w, t);
        expect(deps.stream().allMatch(TaskStatus::isTerminal), RESOLUTION,
                () -> t.key() + " became " + t.status() + " while its dependencies are " + deps);
        TaskStatus expected;
        String why;
        SimCondition condition = condition(t);
        if (!triggerHolds(t.spec().trigger(), deps)) {
            expected = TaskStatus.SKIPPED;
            why = "trigger " + t.spec().trigger() + " does not hold for " + deps;
            counters.add("skipped.trigger");
        } else if (condition != null && !condition.holds(workflows.get(w.id()).input(), upstream(w))) {
            expected = TaskStatus.SKIPPED;
            why = "condition " + condition.cel() + " is false";
            counters.add("skipped.condition");
        } else {
            expected = TaskStatus.READY;
            why = "trigger " + t.spec().trigger() + " holds for " + deps
                    + (condition == null ? "" : " and " + condition.cel() + " is true");
            counters.add(condition == null ? "ready" : "ready.condition");
        }
        TaskStatus should = expected;
        String because = why;
        expect(t.status() == should, RESOLUTION, () -> t.key() + " became " + t.status() + " but should be " + should
                + ": " + because + " (error: " + t.error() + ")");
    }

    private void checkWorkflow(Observation.Workflow was, Observation.Workflow w, int unfinished) {
        expect(w.unfinishedTasks() == unfinished, WORKFLOW_STATUS,
                () -> w.id() + " counts " + w.unfinishedTasks() + " unfinished tasks but has " + unfinished);
        if (was != null && was.status().isTerminal()) {
            expect(w.status() == was.status(), WORKFLOW_STATUS,
                    () -> w.id() + " went from " + was.status() + " to " + w.status());
        }
        boolean anyFailed = w.tasks().stream().anyMatch(t -> t.status() == TaskStatus.FAILED);
        boolean anyCancelled = w.tasks().stream().anyMatch(t -> t.status() == TaskStatus.CANCELLED);
        boolean consistent = switch (w.status()) {
            case RUNNING -> unfinished > 0;
            case COMPLETED -> unfinished == 0 && !anyFailed && !anyCancelled;
            case FAILED -> unfinished == 0 && anyFailed && !anyCancelled;
            case CANCELLED -> unfinished == 0;
        };
        expect(consistent, WORKFLOW_STATUS, () -> w.id() + " is " + w.status() + " with tasks " + describe(w.tasks()));
        if (w.status() == WorkflowStatus.RUNNING) {
            for (Observation.Task t : w.tasks()) {
                if (t.status() == TaskStatus.PENDING) {
                    List<TaskStatus> deps = dependencyStatuses(w, t);
                    expect(!deps.stream().allMatch(TaskStatus::isTerminal), PROGRESS,
                            () -> t.key() + " is still PENDING although its dependencies ended: " + deps);
                }
            }
        }
    }

    // ---- per command ----

    private void checkLease(LeaseTasks c, StepRecord step) {
        boolean valid = c.leaseMs() >= 1_000;
        if (!(step.result() instanceof LeasesGranted granted)) {
            expect(!valid, MODEL, () -> "a valid poll " + c + " was answered " + step.result());
            return;
        }
        expect(valid, MODEL, () -> "a poll with leaseMs " + c.leaseMs() + " below the minimum was answered " + granted);
        Poll last = lastPolls.get(c.workerId());
        boolean retried = c.pollId() != null && last != null && last.pollId().equals(c.pollId());
        expect(granted.replayed() == retried, MODEL,
                () -> "poll " + c + " after the worker's last recorded poll " + last
                + " was answered " + (granted.replayed() ? "as a replay" : "with new leases"));
        if (granted.replayed()) {
            checkReplayedPoll(c, step, granted);
            return;
        }
        long now = c.now();
        List<Observation.Task> eligible = new ArrayList<>();
        for (Observation.Workflow w : step.before().workflows().values()) {
            for (Observation.Task t : w.tasks()) {
                if (t.status() == TaskStatus.READY && t.notBefore() <= now && c.taskTypes().contains(t.spec().type())) {
                    eligible.add(t);
                }
            }
        }
        List<String> ids = new ArrayList<>();
        for (GrantedLease lease : granted.leases()) {
            LeaseId id = LeaseId.parse(lease.leaseId()).orElseThrow(() -> new InvariantViolation(MODEL,
                    "granted an unparseable lease id " + lease.leaseId()));
            expect(id.fencingToken() > highestToken, TOKENS_INCREASE, () -> "granted " + lease.leaseId()
                    + " although token " + highestToken + " was granted before");
            highestToken = id.fencingToken();
            ids.add(lease.leaseId());
            counters.add("leases.granted");
            Observation.Task was = step.before().task(lease.workflowId(), lease.taskId());
            Observation.Task is = step.after().task(lease.workflowId(), lease.taskId());
            checkRunnable(step.before().workflows().get(lease.workflowId()), was, lease, now);
            expect(is.status() == TaskStatus.LEASED && is.fencingToken() == id.fencingToken()
                            && c.workerId().equals(is.leaseWorker()), SINGLE_HOLDER,
                    () -> lease.leaseId() + " was granted but the task is " + is.status() + " under " + is.leaseId()
                            + " for " + is.leaseWorker());
            long leaseMs = Math.min(c.leaseMs(), was.spec().timeoutMs());
            expect(lease.attempt() == was.attempt() + 1 && is.attempt() == lease.attempt()
                            && lease.expiresAt() == now + leaseMs && is.leaseExpiresAt() == lease.expiresAt()
                            && is.leaseDeadline() == now + was.spec().timeoutMs()
                            && lease.type().equals(was.spec().type()), MODEL,
                    () -> "lease " + lease + " does not match task " + was + " -> " + is);
        }
        // The safety invariants above come first; then whether the poll got the tasks the documentation promises.
        eligible.sort(Comparator.comparingLong(Observation.Task::readySeq));
        List<String> expected = eligible.stream().limit(c.maxTasks()).map(Observation.Task::key).toList();
        List<String> actual = granted.leases().stream().map(l -> l.workflowId() + "/" + l.taskId()).toList();
        expect(actual.equals(expected), MODEL,
                () -> "poll " + c + " got " + actual + " but the oldest leasable tasks are " + expected);
        if (c.pollId() != null && !ids.isEmpty()) { // an empty answer is not remembered: a long poll may re-propose
            lastPolls.put(c.workerId(), new Poll(c.pollId(), ids));
        }
    }

    /** A lease was granted on {@code task}: it must have been READY, past its backoff, and allowed to run. */
    private void checkRunnable(Observation.Workflow w, Observation.Task task, GrantedLease lease, long now) {
        expect(task != null && task.status() == TaskStatus.READY, SINGLE_HOLDER,
                () -> "granted " + lease.leaseId() + " on a task that was " + (task == null ? "unknown" : task.status()
                        + " under " + task.leaseId()));
        expect(task.notBefore() <= now, LEASED_WHEN_RUNNABLE,
                () -> "granted " + lease.leaseId() + " before its backoff ended at " + task.notBefore());
        List<TaskStatus> deps = dependencyStatuses(w, task);
        expect(deps.stream().allMatch(TaskStatus::isTerminal), LEASED_WHEN_RUNNABLE,
                () -> "granted " + lease.leaseId() + " while its dependencies are " + deps);
        expect(triggerHolds(task.spec().trigger(), deps), LEASED_WHEN_RUNNABLE,
                () -> "granted " + lease.leaseId() + " although trigger " + task.spec().trigger()
                        + " does not hold for " + deps);
        SimCondition condition = condition(task);
        expect(condition == null || condition.holds(workflows.get(w.id()).input(), upstream(w)), LEASED_WHEN_RUNNABLE,
                () -> "granted " + lease.leaseId() + " although its condition "
                        + (condition == null ? "" : condition.cel()) + " is false");
    }

    private void checkReplayedPoll(LeaseTasks c, StepRecord step, LeasesGranted granted) {
        counters.add("polls.replayed");
        Poll last = lastPolls.get(c.workerId());
        List<String> stillHeld = new ArrayList<>();
        for (String leaseId : last.leaseIds()) {
            LeaseId id = LeaseId.parse(leaseId).orElseThrow();
            Observation.Task t = step.before().task(id.workflowId(), id.taskId());
            if (t != null && t.heldUnder(id.fencingToken(), c.now())) {
                stillHeld.add(leaseId);
            }
        }
        expect(granted.leases().stream().map(GrantedLease::leaseId).toList().equals(stillHeld), SINGLE_HOLDER,
                () -> "replayed poll " + c + " returned " + granted.leases() + " but of its leases only " + stillHeld
                        + " are held");
        expect(step.digestAfter().equals(step.digestBefore()), MODEL, () -> "a replayed poll changed the state");
    }

    private void checkCompletion(CompleteTask c, StepRecord step) {
        LeaseId id = LeaseId.parse(c.leaseId()).orElse(null);
        Observation.Task was = id == null ? null : step.before().task(id.workflowId(), id.taskId());
        String output = c.output() == null ? "null" : c.output();
        if (was != null && was.heldUnder(id.fencingToken(), c.now())) {
            TaskReported accepted =
                    new TaskReported(c.leaseId(), id.workflowId(), id.taskId(), TaskStatus.COMPLETED, false);
            expect(step.result().equals(accepted), MODEL,
                    () -> "a completion under the current lease " + c.leaseId() + " was answered " + step.result());
            Observation.Task is = step.after().task(id.workflowId(), id.taskId());
            expect(is.status() == TaskStatus.COMPLETED && output.equals(is.output()), MODEL,
                    () -> "after completing " + c.leaseId() + " the task is " + is);
            acceptedCompletions.put(c.leaseId(), output);
            counters.add("completions.accepted");
            return;
        }
        String earlier = acceptedCompletions.get(c.leaseId());
        if (step.result() instanceof TaskReported reported) {
            expect(reported.duplicate(), STALE_NOT_ACCEPTED, () -> "a completion under " + c.leaseId()
                    + ", which is not the current lease of " + describe(was) + ", was accepted as new: " + reported);
            expect(output.equals(earlier), STALE_NOT_ACCEPTED,
                    () -> "a completion under " + c.leaseId() + " with output "
                    + output + " was answered as a duplicate, but the completion accepted under it was " + earlier);
            expect(reported.taskStatus() == TaskStatus.COMPLETED, MODEL,
                    () -> "a repeated completion was answered " + reported);
            counters.add("completions.duplicate");
            return;
        }
        Rejection rejection = (Rejection) step.result();
        if (earlier != null) {
            expect(!earlier.equals(output) && rejection.type() == ProblemType.REPORT_CONFLICT, MODEL,
                    () -> "the repeat of completion " + c.leaseId() + " (first output " + earlier + ", now " + output
                            + ") was answered " + rejection);
            counters.add("completions.conflict");
        } else {
            checkStaleRejection(id, was, step, rejection);
            counters.add("completions.stale");
        }
    }

    private void checkFailure(FailTask c, StepRecord step) {
        LeaseId id = LeaseId.parse(c.leaseId()).orElse(null);
        Observation.Task was = id == null ? null : step.before().task(id.workflowId(), id.taskId());
        if (was != null && was.heldUnder(id.fencingToken(), c.now())) {
            Observation.Task is = step.after().task(id.workflowId(), id.taskId());
            checkAttemptEnded(was, is, c.now(), c.retryable(), "failing " + c.leaseId());
            TaskReported accepted = new TaskReported(c.leaseId(), id.workflowId(), id.taskId(), is.status(), false);
            expect(step.result().equals(accepted), MODEL,
                    () -> "a failure under the current lease " + c.leaseId() + " was answered " + step.result());
            acceptedFailures.add(c.leaseId());
            counters.add("failures.accepted");
            return;
        }
        if (step.result() instanceof TaskReported reported) {
            expect(reported.duplicate(), STALE_NOT_ACCEPTED, () -> "a failure under " + c.leaseId()
                    + ", which is not the current lease of " + describe(was) + ", was accepted as new: " + reported);
            // An expired lease ended without a report: a late failure under it is no repeat (LateFailureReportTest).
            expect(acceptedFailures.contains(c.leaseId()), STALE_NOT_ACCEPTED, () -> "a failure under " + c.leaseId()
                    + " was answered as a duplicate " + reported + ", but no failure was ever accepted under it");
            counters.add("failures.duplicate");
            return;
        }
        Rejection rejection = (Rejection) step.result();
        expect(!acceptedFailures.contains(c.leaseId()), MODEL,
                () -> "the repeat of failure " + c.leaseId() + " was answered " + rejection);
        checkStaleRejection(id, was, step, rejection);
        counters.add("failures.stale");
    }

    private void checkHeartbeat(Heartbeat c, StepRecord step) {
        LeaseId id = LeaseId.parse(c.leaseId()).orElse(null);
        Observation.Task was = id == null ? null : step.before().task(id.workflowId(), id.taskId());
        if (was != null && was.heldUnder(id.fencingToken(), c.now())) {
            long expiresAt = Math.max(was.leaseExpiresAt(), Math.min(c.now() + was.leaseMs(), was.leaseDeadline()));
            Observation.Task is = step.after().task(id.workflowId(), id.taskId());
            expect(step.result().equals(new LeaseExtended(c.leaseId(), expiresAt, expiresAt - c.now())) && is.leaseExpiresAt() == expiresAt,
                    MODEL, () -> "a heartbeat on " + describe(was) + " at " + c.now() + " was answered " + step.result()
                            + " leaving expiry at " + is.leaseExpiresAt() + "; expected " + expiresAt);
            counters.add("heartbeats.accepted");
            return;
        }
        expect(step.result() instanceof Rejection, STALE_NOT_ACCEPTED,
                () -> "a heartbeat under " + c.leaseId() + ", which is not the current lease of " + describe(was)
                        + ", was accepted: " + step.result());
        checkStaleRejection(id, was, step, (Rejection) step.result());
        counters.add("heartbeats.stale");
    }

    /** A report under a lease that is not current: refused, with the problem type its situation calls for. */
    private void checkStaleRejection(LeaseId id, Observation.Task was, StepRecord step, Rejection rejection) {
        ProblemType expected;
        if (id == null) {
            expected = ProblemType.INVALID_REQUEST;
        } else if (was == null || id.fencingToken() > step.before().lastFencingToken()) {
            expected = ProblemType.LEASE_NOT_FOUND;
        } else if (was.status() == TaskStatus.LEASED && was.fencingToken() == id.fencingToken()) {
            expected = ProblemType.LEASE_EXPIRED;
        } else {
            expected = ProblemType.STALE_LEASE;
        }
        expect(rejection.type() == expected, MODEL,
                () -> "a report under " + (id == null ? "?" : id) + " on " + describe(was)
                + " was refused with " + rejection.type() + ", expected " + expected + ": " + rejection.message());
    }

    private void checkExpiry(ExpireLeases c, StepRecord step) {
        int due = 0;
        for (Observation.Workflow w : step.before().workflows().values()) {
            for (Observation.Task was : w.tasks()) {
                if (was.status() != TaskStatus.LEASED) {
                    continue;
                }
                Observation.Task is = step.after().task(w.id(), was.spec().id());
                if (was.leaseExpiresAt() <= c.now()) {
                    due++;
                    checkAttemptEnded(was, is, c.now(), true, "expiring " + was.leaseId());
                    counters.add("leases.expired");
                } else {
                    expect(is.heldUnder(was.fencingToken(), c.now()), MODEL,
                            () -> "expiry at " + c.now() + " ended " + describe(was) + " before it was due");
                }
            }
        }
        int dueCount = due;
        expect(step.result().equals(new LeasesExpired(due)), MODEL, () -> "expiry at " + c.now() + " with " + dueCount
                + " leases due was answered " + step.result());
    }

    /** An attempt ended in failure (reported or expired): retried after the backoff while allowed, else failed. */
    private void checkAttemptEnded(Observation.Task was, Observation.Task is, long now, boolean retryable,
            String what) {
        if (retryable && was.attempt() < was.spec().retry().maxAttempts()) {
            long notBefore = now + was.spec().retry().backoffAfter(was.attempt());
            expect(is.status() == TaskStatus.READY && is.notBefore() == notBefore && is.attempt() == was.attempt(),
                    MODEL, () -> what + " should schedule attempt " + (was.attempt() + 1) + " at " + notBefore
                            + ", but the task is " + is);
            counters.add("retries.scheduled");
        } else {
            expect(is.status() == TaskStatus.FAILED, MODEL,
                    () -> what + " on its last attempt (or not retryable) left " + is);
            counters.add("tasks.failed");
        }
    }

    private void checkCancel(CancelWorkflow c, StepRecord step) {
        Observation.Workflow was = step.before().workflows().get(c.workflowId());
        CommandResult expected;
        if (was == null) {
            expected = null;
            expect(step.result() instanceof Rejection r && r.type() == ProblemType.WORKFLOW_NOT_FOUND, MODEL,
                    () -> "cancelling unknown " + c.workflowId() + " was answered " + step.result());
        } else if (was.status() == WorkflowStatus.RUNNING) {
            expected = new WorkflowCancelled(c.workflowId(), false);
            Observation.Workflow is = step.after().workflows().get(c.workflowId());
            expect(is.status() == WorkflowStatus.CANCELLED, MODEL,
                    () -> "cancelled " + c.workflowId() + " is " + is.status());
            for (Observation.Task t : was.tasks()) {
                if (!t.status().isTerminal()) {
                    expect(is.task(t.spec().id()).status() == TaskStatus.CANCELLED, MODEL,
                            () -> "cancelling " + c.workflowId() + " left " + is.task(t.spec().id()));
                }
            }
            counters.add("workflows.cancelled");
        } else if (was.status() == WorkflowStatus.CANCELLED) {
            expected = new WorkflowCancelled(c.workflowId(), true);
        } else {
            expected = null;
            expect(step.result() instanceof Rejection r && r.type() == ProblemType.WORKFLOW_FINISHED, MODEL,
                    () -> "cancelling " + was.status() + " " + c.workflowId() + " was answered " + step.result());
        }
        if (expected != null) {
            expect(step.result().equals(expected), MODEL, () -> "cancelling " + c.workflowId() + " (" + was.status()
                    + ") was answered " + step.result());
        }
    }

    private void checkSubmit(SubmitWorkflow c, StepRecord step) {
        Observation.Workflow was = step.before().workflows().get(c.workflowId());
        if (was == null) {
            expect(step.result().equals(new WorkflowSubmitted(c.workflowId(), true)), MODEL,
                    () -> "submitting " + c.workflowId() + " was answered " + step.result());
            counters.add("workflows.submitted");
        } else if (c.idempotencyKey() != null) {
            expect(step.result().equals(new WorkflowSubmitted(c.workflowId(), false)), MODEL,
                    () -> "resubmitting keyed " + c.workflowId() + " was answered " + step.result());
            expect(step.digestAfter().equals(step.digestBefore()), MODEL,
                    () -> "resubmitting " + c.workflowId() + " changed the state");
        } else {
            expect(step.result() instanceof Rejection r && r.type() == ProblemType.WORKFLOW_ALREADY_EXISTS, MODEL,
                    () -> "resubmitting " + c.workflowId() + " was answered " + step.result());
        }
    }

    // ---- the rules, restated independently of the engine ----

    static boolean triggerHolds(TriggerRule rule, List<TaskStatus> deps) {
        if (deps.isEmpty()) {
            return true;
        }
        return switch (rule) {
            case ALL_SUCCESS -> deps.stream().allMatch(s -> s == TaskStatus.COMPLETED);
            case ALL_DONE -> true;
            case ONE_SUCCESS -> deps.stream().anyMatch(s -> s == TaskStatus.COMPLETED);
            case NONE_FAILED -> deps.stream().noneMatch(s -> s == TaskStatus.FAILED || s == TaskStatus.CANCELLED);
        };
    }

    private SimCondition condition(Observation.Task t) {
        SimWorkflow w = workflows.get(t.workflowId());
        return w == null ? null : w.conditions().get(t.spec().id());
    }

    private static List<TaskStatus> dependencyStatuses(Observation.Workflow w, Observation.Task t) {
        return t.spec().dependsOn().stream().map(dep -> w.task(dep).status()).toList();
    }

    private static SimCondition.Upstream upstream(Observation.Workflow w) {
        return new SimCondition.Upstream() {
            @Override
            public TaskStatus status(String taskId) {
                return w.task(taskId).status();
            }

            @Override
            public Integer outputValue(String taskId) {
                String output = w.task(taskId).output();
                if (output == null) {
                    return null;
                }
                Matcher m = OUTPUT_V.matcher(output);
                if (!m.matches()) {
                    throw new InvariantViolation(MODEL, "unexpected output " + output + " of " + w.id() + "/" + taskId);
                }
                return Integer.valueOf(m.group(1));
            }

            @Override
            public int attempt(String taskId) {
                return w.task(taskId).attempt();
            }
        };
    }

    private static String describe(Observation.Task t) {
        return t == null ? "an unknown task" : t.key() + " (" + t.status() + " under " + t.leaseId() + ", expires "
                + t.leaseExpiresAt() + ")";
    }

    private static String describe(List<Observation.Task> tasks) {
        return tasks.stream().map(t -> t.spec().id() + "=" + t.status()).toList().toString();
    }

    /** The message is built only when the invariant is broken: checks run on every step. */
    private static void expect(boolean condition, String invariant, Supplier<String> message) {
        if (!condition) {
            throw new InvariantViolation(invariant, message.get());
        }
    }
}
