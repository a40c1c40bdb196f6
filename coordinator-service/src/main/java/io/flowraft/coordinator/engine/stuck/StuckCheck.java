package io.flowraft.coordinator.engine.stuck;

import io.flowraft.contracts.StuckCode;
import io.flowraft.contracts.TaskStatus;
import io.flowraft.contracts.WorkflowStatus;
import io.flowraft.coordinator.engine.model.ConcurrencyLimit;
import io.flowraft.coordinator.engine.state.EngineReadState;
import io.flowraft.coordinator.engine.state.HistoryEntry;
import io.flowraft.coordinator.engine.state.TaskState;
import io.flowraft.coordinator.engine.state.TaskTypeSettings;
import io.flowraft.coordinator.engine.state.WorkflowState;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Why a RUNNING workflow makes no progress, read from the committed state at a given time. A read model: it is
 * never part of applying a command, changes nothing, and takes the time and the poll times as inputs, so the same
 * state, time and poll times always give the same reasons, in the same order (task order, then {@link StuckCode}
 * order).
 *
 * <p>Only READY and LEASED tasks hold a workflow up. A PENDING task waiting on one of them is not a reason of its
 * own (its upstream task's reason is the one to act on), and a finished workflow is never stuck. The reasons:
 * <ul>
 * <li>{@code retry-waiting}: READY, its retry backoff ({@code notBefore}) not over;
 * <li>{@code no-worker-polling}: READY, and no committed poll named its type for {@link StuckRules#noPollAfterMs()};
 * <li>{@code concurrency-limit}: READY past its backoff, its concurrency key has its maximum leased;
 * <li>{@code rate-limit}: READY past its backoff, its type's dispatch bucket holds no whole lease at {@code now};
 * <li>{@code lease-expiring-repeatedly}: READY or LEASED, its last {@link StuckRules#leaseExpiries()} or more
 *     attempts each ended with the lease expiring (no reported failure between them).
 * </ul>
 * Costs one pass over the tasks, plus one backwards pass over the workflow's history when a task is on a later
 * attempt: bounded by what one workflow may hold ({@code maxWorkflowBytes}).
 */
public final class StuckCheck {

    /** The most of a task's last error a detail quotes. */
    static final int MAX_ERROR_CHARS = 200;

    private StuckCheck() {
    }

    /** The reasons, empty when the workflow is not RUNNING or nothing holds it up. Run under the state's read lock. */
    public static List<Stuck> reasons(EngineReadState state, WorkflowState workflow, long now, PollTimes polls,
            StuckRules rules) {
        if (workflow.status() != WorkflowStatus.RUNNING) {
            return List.of();
        }
        List<Stuck> reasons = new ArrayList<>();
        Map<String, Integer> expiryRuns = null;
        for (TaskState task : workflow.tasks()) {
            if (task.status() != TaskStatus.READY && task.status() != TaskStatus.LEASED) {
                continue;
            }
            int first = reasons.size();
            if (task.status() == TaskStatus.READY) {
                ready(state, task, now, polls, rules, reasons);
            }
            // A task on its first attempt, or on fewer attempts than the rule counts, cannot have enough expiries.
            if (task.attempt() >= rules.leaseExpiries()) {
                if (expiryRuns == null) {
                    expiryRuns = expiryRuns(workflow);
                }
                int expired = expiryRuns.getOrDefault(task.taskId(), 0);
                if (expired >= rules.leaseExpiries()) {
                    reasons.add(stuck(StuckCode.LEASE_EXPIRING_REPEATEDLY, task, "Its last " + expired
                            + " leases expired without a report (the last held by worker '" + task.leaseWorker()
                            + "'); " + (task.status() == TaskStatus.LEASED ? "attempt " + task.attempt() + " is leased now"
                            : "attempt " + task.attempt() + " ended so") + ", of at most "
                            + task.spec().retry().maxAttempts()));
                }
            }
            reasons.subList(first, reasons.size()).sort(Comparator.comparing(Stuck::code));
        }
        return reasons;
    }

    private static void ready(EngineReadState state, TaskState task, long now, PollTimes polls, StuckRules rules,
            List<Stuck> reasons) {
        String type = task.spec().type();
        boolean backingOff = task.notBefore() > now;
        if (backingOff) {
            reasons.add(stuck(StuckCode.RETRY_WAITING, task, "Attempt " + task.attempt() + " failed"
                    + (task.error() == null ? "" : " (" + cut(task.error()) + ")") + "; the retry waits until "
                    + instant(task.notBefore()) + ", " + seconds(task.notBefore() - now) + " from now"));
        }
        long lastPolled = polls.lastPolled(type);
        if (lastPolled > 0 && now - lastPolled >= rules.noPollAfterMs()) {
            reasons.add(stuck(StuckCode.NO_WORKER_POLLING, task, "No worker has polled for task type '" + type + "' for "
                    + seconds(now - lastPolled) + " (last poll at " + instant(lastPolled) + "): workers of this type are"
                    + " gone, stuck, or all at capacity"));
        } else if (lastPolled == 0 && polls.observedSince() != Long.MAX_VALUE
                && now - polls.observedSince() >= rules.noPollAfterMs()) {
            reasons.add(stuck(StuckCode.NO_WORKER_POLLING, task, "No worker has polled for task type '" + type
                    + "' since at least " + instant(polls.observedSince()) + " (" + seconds(now - polls.observedSince())
                    + "): no worker runs this type, or all are at capacity"));
        }
        if (backingOff) {
            return; // the limits hold a task only once it may be leased
        }
        ConcurrencyLimit limit = task.spec().concurrency();
        if (limit != null) {
            int leased = state.leasedWithConcurrencyKey(limit.key());
            if (leased >= limit.max()) {
                reasons.add(stuck(StuckCode.CONCURRENCY_LIMIT, task, "Concurrency key '" + limit.key() + "' has "
                        + leased + " tasks leased, its maximum is " + limit.max()
                        + ": the task waits for one of them to finish"));
            }
        }
        TaskTypeSettings settings = state.taskType(type);
        if (settings != null && settings.leasesAllowedAt(now) == 0) {
            reasons.add(stuck(StuckCode.RATE_LIMIT, task, "Task type '" + type + "' is limited to "
                    + settings.rateLimit().perSecondText() + " leases per second and has none left until "
                    + instant(Math.max(now, settings.wholeTokenAt()))));
        }
    }

    /**
     * By task: how many of its latest attempts in a row ended with an expired lease, counting back from the end of
     * the history until an attempt that ended otherwise (a failure the worker reported) or the task's first.
     */
    static Map<String, Integer> expiryRuns(WorkflowState workflow) {
        Map<String, Run> runs = new HashMap<>();
        List<HistoryEntry> history = workflow.history();
        for (int i = history.size() - 1; i >= 0; i--) {
            HistoryEntry entry = history.get(i);
            if (entry.taskId() == null) {
                continue;
            }
            Run run = runs.computeIfAbsent(entry.taskId(), id -> new Run());
            if (run.closed) {
                continue;
            }
            switch (entry.kind()) {
                case LEASE_EXPIRED -> {
                    run.expired++;
                    run.attemptExpired = true;
                }
                case TASK_RETRY_SCHEDULED -> run.attemptEnded = true;
                case TASK_LEASED -> {
                    // The start of an attempt: one that ended in a retry without an expiry was a reported failure.
                    run.closed = run.attemptEnded && !run.attemptExpired;
                    run.attemptEnded = false;
                    run.attemptExpired = false;
                }
                case TASK_READY -> run.closed = true;
                default -> {
                }
            }
        }
        Map<String, Integer> expired = new HashMap<>();
        runs.forEach((taskId, run) -> expired.put(taskId, run.expired));
        return expired;
    }

    private static final class Run {
        int expired;
        boolean attemptExpired;
        boolean attemptEnded;
        boolean closed;
    }

    private static Stuck stuck(StuckCode code, TaskState task, String detail) {
        return new Stuck(code, task.taskId(), task.spec().type(), detail);
    }

    private static String cut(String error) {
        return error.length() <= MAX_ERROR_CHARS ? error : error.substring(0, MAX_ERROR_CHARS) + "…";
    }

    private static String instant(long millis) {
        return Instant.ofEpochMilli(millis).toString();
    }

    private static String seconds(long millis) {
        return millis >= 10_000 ? millis / 1000 + " s" : String.format(java.util.Locale.ROOT, "%.1f s", millis / 1000.0);
    }
}
