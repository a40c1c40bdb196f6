package io.flowraft.coordinator.metrics;

import io.flowraft.coordinator.engine.event.Event;
import io.flowraft.coordinator.engine.state.EngineReadState;
import io.flowraft.coordinator.engine.state.TaskState;
import io.flowraft.coordinator.engine.state.WorkflowState;
import io.flowraft.coordinator.replication.ApplyListener;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * Workflows and tasks by outcome, dispatch latency and run time, derived from the events of each applied command.
 *
 * <p><b>Counted on every replica.</b> Each coordinator counts the commands it applies, so every replica shows the
 * same figures (a follower a moment later), a leader change loses nothing, and a restart starts from 0 and counts
 * what it replays after its snapshot (Prometheus's {@code rate} and {@code increase} treat that as a counter
 * reset). Query one coordinator or {@code max without (instance)}; do not sum over coordinators.
 *
 * <p><b>Durations come from the leader's stamps</b> on the commands, never from a clock read here: dispatch latency
 * is the stamp of the lease minus the moment the task could first be leased (READY, or its backoff ended); run time
 * is the stamp of the report minus the lease's start. So every replica records the same values, in milliseconds.
 *
 * <p>{@code flowraft_task_outcomes_total} counts each attempt's end and each task that ends without one, once:
 * {@code completed}; {@code failed-retryable} (a reported failure that will be retried); {@code failed-terminal}
 * (the task FAILED: a terminal report, attempts exhausted, including by a lease expiry, or a failed condition);
 * {@code lease-expired} (a lease expiry that will be retried); {@code cancelled}; {@code skipped}. Every lease
 * expiry also counts in {@code flowraft_task_lease_expiries_total} and every retry in
 * {@code flowraft_task_retries_total}.
 */
public final class EngineMeters implements ApplyListener {

    /** Bucket bounds of the task histograms: from a busy poll's few milliseconds to a 10-minute task. */
    private static final Duration[] TASK_BUCKETS = millis(5, 10, 25, 50, 100, 250, 500, 1_000, 2_500, 5_000,
            10_000, 30_000, 60_000, 120_000, 300_000, 600_000);

    private static final String EXPIRIES = "flowraft.task.lease.expiries";
    private static final String EXPIRIES_DESCRIPTION = "Leases that expired before their worker reported";
    private static final String RETRIES = "flowraft.task.retries";
    private static final String RETRIES_DESCRIPTION = "Failed attempts (reported, or a lease expiry) that will be retried";

    private final MeterRegistry registry;
    private final MetricLabels labels;
    private final Map<String, Counter> counters = new ConcurrentHashMap<>();
    private final Map<String, Timer> timers = new ConcurrentHashMap<>();

    public EngineMeters(MeterRegistry registry, MetricLabels labels) {
        this.registry = registry;
        this.labels = labels;
    }

    @Override
    public void applied(Applied entry) {
        // everything is counted per command, in commandApplied
    }

    @Override
    public void commandApplied(long now, List<Event> events, EngineReadState state) {
        Set<String> expired = null;
        for (Event event : events) {
            switch (event) {
                case Event.WorkflowSubmitted e ->
                        workflows("flowraft.workflows.started", labels.definition(e.definitionRef()), null).increment();
                case Event.WorkflowCompleted e -> ended(state, e.workflowId(), "completed");
                case Event.WorkflowFailed e -> ended(state, e.workflowId(), "failed");
                case Event.WorkflowCancelled e -> ended(state, e.workflowId(), "cancelled");
                case Event.TaskReadied e -> readied(state, e.workflowId(), e.taskId());
                case Event.TaskLeased e -> {
                    TaskState task = task(state, e.workflowId(), e.taskId());
                    if (task != null) {
                        long leasableSince = Math.max(task.readyAt(), task.notBefore());
                        timer("flowraft.task.dispatch", labels.type(task.spec().type()),
                                "From READY (or the end of a retry's backoff) to leased, by the leader's stamps")
                                .record(Math.max(0, now - leasableSince), TimeUnit.MILLISECONDS);
                    }
                }
                case Event.TaskCompleted e -> reported(state, e.workflowId(), e.taskId(), now, "completed");
                case Event.LeaseExpired e -> {
                    outcome(state, e.workflowId(), e.taskId(), null, EXPIRIES, EXPIRIES_DESCRIPTION);
                    expired = expired == null ? new HashSet<>() : expired;
                    expired.add(key(e.workflowId(), e.taskId()));
                }
                case Event.TaskRetryScheduled e -> {
                    outcome(state, e.workflowId(), e.taskId(), null, RETRIES, RETRIES_DESCRIPTION);
                    if (expired != null && expired.contains(key(e.workflowId(), e.taskId()))) {
                        outcome(state, e.workflowId(), e.taskId(), "lease-expired", null, null);
                    } else {
                        reported(state, e.workflowId(), e.taskId(), now, "failed-retryable");
                    }
                }
                case Event.TaskFailed e -> {
                    boolean byExpiry = expired != null && expired.contains(key(e.workflowId(), e.taskId()));
                    if (e.fencingToken() != 0 && !byExpiry) {
                        reported(state, e.workflowId(), e.taskId(), now, "failed-terminal");
                    } else {
                        outcome(state, e.workflowId(), e.taskId(), "failed-terminal", null, null);
                    }
                }
                case Event.TaskCancelled e -> outcome(state, e.workflowId(), e.taskId(), "cancelled", null, null);
                case Event.TaskSkipped e -> outcome(state, e.workflowId(), e.taskId(), "skipped", null, null);
                default -> {
                }
            }
        }
    }

    /**
     * A task became READY: its type gets its label now (types are named in the order tasks of them arrive), and its
     * expiry and retry counters start at 0, so that a rate over them is 0 rather than absent before the first one.
     */
    private void readied(EngineReadState state, String workflowId, String taskId) {
        String type = type(state, workflowId, taskId);
        if (type != null) {
            perType(EXPIRIES, type, EXPIRIES_DESCRIPTION);
            perType(RETRIES, type, RETRIES_DESCRIPTION);
        }
    }

    /** A worker's report ended an attempt: its outcome, and its run time from the lease's start. */
    private void reported(EngineReadState state, String workflowId, String taskId, long now, String outcome) {
        TaskState task = task(state, workflowId, taskId);
        if (task == null) {
            return;
        }
        String type = labels.type(task.spec().type());
        outcomes(type, outcome).increment();
        // The lease's deadline is its start plus the task's timeout; heartbeats move its expiry, never its deadline.
        long leasedAt = task.leaseDeadline() - task.spec().timeoutMs();
        if (task.leaseDeadline() > 0) {
            timer("flowraft.task.run", type, "From leased to the worker's report (completed or failed), by the"
                    + " leader's stamps").record(Math.max(0, now - leasedAt), TimeUnit.MILLISECONDS);
        }
    }

    /** Counts an outcome ({@code outcome} non-null) or another per-type counter ({@code name}). */
    private void outcome(EngineReadState state, String workflowId, String taskId, String outcome, String name,
            String description) {
        String type = type(state, workflowId, taskId);
        if (type == null) {
            return;
        }
        if (outcome != null) {
            outcomes(type, outcome).increment();
        } else {
            perType(name, type, description).increment();
        }
    }

    private Counter perType(String name, String type, String description) {
        return counter(name + "|" + type, n -> Counter.builder(name).description(description).tag("type", type)
                .register(registry));
    }

    private void ended(EngineReadState state, String workflowId, String status) {
        WorkflowState workflow = state.workflow(workflowId);
        if (workflow != null) {
            workflows("flowraft.workflows.ended", labels.definition(workflow.definitionRef()), status).increment();
        }
    }

    private Counter workflows(String name, String definition, String status) {
        return counter(name + "|" + definition + "|" + status, k -> {
            Counter.Builder builder = Counter.builder(name).tag("definition", definition);
            if (status == null) {
                builder.description("Workflows submitted (a repeated idempotent submit is not counted again)");
            } else {
                builder.description("Workflows that ended, by status: completed, failed or cancelled")
                        .tag("status", status);
            }
            return builder.register(registry);
        });
    }

    private Counter outcomes(String type, String outcome) {
        return counter("outcome|" + type + "|" + outcome, k -> Counter.builder("flowraft.task.outcomes")
                .description("How task attempts ended, and tasks that ended without one (cancelled, skipped)")
                .tag("type", type).tag("outcome", outcome).register(registry));
    }

    private Counter counter(String key, Function<String, Counter> create) {
        return counters.computeIfAbsent(key, create);
    }

    private Timer timer(String name, String type, String description) {
        return timers.computeIfAbsent(name + "|" + type, k -> Timer.builder(name).description(description)
                .tag("type", type).serviceLevelObjectives(TASK_BUCKETS).register(registry));
    }

    /** The label of the task's type, or null if the task is not in the state (cannot happen for a just-applied event). */
    private String type(EngineReadState state, String workflowId, String taskId) {
        TaskState task = task(state, workflowId, taskId);
        return task == null ? null : labels.type(task.spec().type());
    }

    private static TaskState task(EngineReadState state, String workflowId, String taskId) {
        WorkflowState workflow = state.workflow(workflowId);
        return workflow == null ? null : workflow.task(taskId);
    }

    private static String key(String workflowId, String taskId) {
        return workflowId + "\u0000" + taskId;
    }

    private static Duration[] millis(long... millis) {
        Duration[] durations = new Duration[millis.length];
        for (int i = 0; i < millis.length; i++) {
            durations[i] = Duration.ofMillis(millis[i]);
        }
        return durations;
    }
}
