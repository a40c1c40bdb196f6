package io.flowraft.coordinator.engine.command;

import java.util.List;

/**
 * Grants up to {@code maxTasks} leases on READY tasks of the given types, oldest first.
 *
 * @param poller  optional: which poll loop of the worker asks, when it runs several; each keeps its own poll record
 * @param leaseMs how long each lease lasts before it must be heartbeated, capped by the task's timeout
 * @param pollId  optional: the same poller retrying the same poll id gets the leases of the first try back
 * @param principal the authenticated caller that polls: the leases are bound to it, and only it may report or
 *     heartbeat them. Null in commands written before leases had owners (and in tests): such leases have no owner
 */
public record LeaseTasks(long now, String workerId, String poller, List<String> taskTypes, int maxTasks, long leaseMs,
        String pollId, String principal) implements Command {

    public LeaseTasks {
        taskTypes = taskTypes == null ? null : List.copyOf(taskTypes);
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
}
