package io.flowraft.coordinator.api.poll;

import io.flowraft.contracts.PollRequest;
import io.flowraft.coordinator.api.error.ApiProblemException;
import io.flowraft.coordinator.engine.command.LeaseTasks;
import java.time.Duration;
import java.util.List;
import java.util.UUID;

/**
 * A checked poll: the {@link LeaseTasks} command to propose and how long to wait for tasks. Out-of-range numbers
 * are refused with 400 naming the field rather than silently clamped, so a misconfigured worker finds out.
 * The worker id, task types and poll id are checked by the engine, which owns those rules.
 *
 * @param waitFor how long to long-poll when nothing is ready; zero answers at once
 */
public record PollPlan(LeaseTasks command, Duration waitFor) {

    public static final int MAX_TASKS = 1_000;
    public static final long DEFAULT_LEASE_MS = 30_000;
    public static final long MIN_LEASE_MS = 1_000;
    public static final long MAX_LEASE_MS = 24L * 3600 * 1000;

    /**
     * @param principal the authenticated caller: the leases granted are bound to it
     * @throws ApiProblemException 400 on {@code maxTasks}, {@code waitMs} or {@code leaseMs} when out of range
     */
    public static PollPlan of(PollRequest request, String principal) {
        int maxTasks = request.maxTasks() == null ? 1 : request.maxTasks();
        if (maxTasks < 1 || maxTasks > MAX_TASKS) {
            throw ApiProblemException.invalid("maxTasks",
                    "Expected maxTasks between 1 and " + MAX_TASKS + ", but found " + maxTasks);
        }
        Duration waitFor = Deadline.checkedWait(request.waitMs());
        long leaseMs = request.leaseMs() == null ? DEFAULT_LEASE_MS : request.leaseMs();
        if (leaseMs < MIN_LEASE_MS || leaseMs > MAX_LEASE_MS) {
            throw ApiProblemException.invalid("leaseMs",
                    "Expected leaseMs between " + MIN_LEASE_MS + " and " + MAX_LEASE_MS + ", but found " + leaseMs);
        }
        // Without a poll id from the worker, one per HTTP request: the proposals a long poll repeats stay
        // idempotent among themselves (a retried proposal cannot grant a second batch).
        String pollId = request.pollId() != null ? request.pollId() : "poll-" + UUID.randomUUID();
        LeaseTasks command = new LeaseTasks(0, request.workerId(), request.poller(), request.taskTypes(), maxTasks, leaseMs,
                pollId, principal);
        return new PollPlan(command, waitFor);
    }

    /**
     * The same poll, leasing the READY tasks of these workflows first, in this order, then the oldest READY: the
     * {@code next} poll of a report exchange prefers the workflows it just reported on. A plain poll prefers none.
     */
    public PollPlan preferring(List<String> workflowIds) {
        return new PollPlan(command.preferring(workflowIds), waitFor);
    }
}
