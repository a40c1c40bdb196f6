package io.flowraft.coordinator.engine.command;

import java.util.List;

/**
 * Grants up to {@code maxTasks} leases on READY tasks of the given types: first those of the preferred workflows,
 * then the oldest READY.
 *
 * @param poller  optional: which poll loop of the worker asks, when it runs several; each keeps its own poll record
 * @param leaseMs how long each lease lasts before it must be heartbeated, capped by the task's timeout
 * @param pollId  optional: the same poller retrying the same poll id gets the leases of the first try back
 * @param principal the authenticated caller that polls: the leases are bound to it, and only it may report or
 *     heartbeat them. Null in commands written before leases had owners (and in tests): such leases have no owner
 * @param preferWorkflows workflow ids whose READY tasks are leased first, in this order: those whose tasks the
 *     same exchange just reported ({@code POST /api/v1/reports} with a {@code next} poll). Never null: empty for a
 *     plain poll and in commands written before exchanges preferred anything (a null given is taken as empty)
 */
public record LeaseTasks(long now, String workerId, String poller, List<String> taskTypes, int maxTasks, long leaseMs,
        String pollId, String principal, List<String> preferWorkflows) implements Command {

    public LeaseTasks {
        taskTypes = taskTypes == null ? null : List.copyOf(taskTypes);
        preferWorkflows = preferWorkflows == null ? List.of() : List.copyOf(preferWorkflows);
    }

    /** A poll that prefers no workflow: oldest READY first. */
    public LeaseTasks(long now, String workerId, String poller, List<String> taskTypes, int maxTasks, long leaseMs,
            String pollId, String principal) {
        this(now, workerId, poller, taskTypes, maxTasks, leaseMs, pollId, principal, List.of());
    }

    /** A poll that names no principal: its leases have no owner. */
    public LeaseTasks(long now, String workerId, String poller, List<String> taskTypes, int maxTasks, long leaseMs,
            String pollId) {
        this(now, workerId, poller, taskTypes, maxTasks, leaseMs, pollId, null);
    }

    /** A poll of a worker with a single poll loop. */
    public LeaseTasks(long now, String workerId, List<String> taskTypes, int maxTasks, long leaseMs, String pollId) {
        this(now, workerId, null, taskTypes, maxTasks, leaseMs, pollId);
    }

    /** The same poll, leasing the READY tasks of these workflows first (in this order); empty or null for none. */
    public LeaseTasks preferring(List<String> workflowIds) {
        return new LeaseTasks(now, workerId, poller, taskTypes, maxTasks, leaseMs, pollId, principal, workflowIds);
    }
}
