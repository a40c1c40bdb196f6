package io.flowraft.contracts;

import java.util.List;

/**
 * Body of {@code POST /api/v1/tasks/poll}: a worker asks for up to {@code maxTasks} leases on tasks of the
 * given types, waiting up to {@code waitMs} for some to become ready. Fields that say "capped" are lowered to
 * the server's configured maximum rather than rejected.
 *
 * @param workerId identifies the worker in views, history and logs; required, non-blank
 * @param taskTypes the task types this worker runs, at least one; absent or {@code null} means empty (and is
 *     rejected as invalid)
 * @param maxTasks the most leases to grant, at least 1; {@code null} means 1; capped
 * @param waitMs how long to long-poll when nothing is ready, in milliseconds, at least 0; {@code null} means 0
 *     (answer at once); capped
 * @param leaseMs how long the leases last, in milliseconds, at least 1; {@code null} means each task's own
 *     {@link TaskSpec#timeoutMs()} or the server default; capped
 * @param pollId makes the poll safe to retry: a poll repeated with the same id returns the leases the first one
 *     was granted instead of granting more (a lost answer would otherwise strand them until they expire).
 *     {@code null} means not retry-safe
 * @param poller which poll loop of the worker this is, for a worker that runs several at once: the server
 *     remembers the last granted poll per worker and poller, so a loop's retry finds its own first try even after
 *     another loop polled. {@code null} means the worker's only poll loop
 */
public record PollRequest(String workerId, List<String> taskTypes, Integer maxTasks, Long waitMs, Long leaseMs,
        String pollId, String poller) {

    public PollRequest {
        taskTypes = Copies.orEmpty(taskTypes);
    }

    /** A poll from a worker with a single poll loop. */
    public PollRequest(String workerId, List<String> taskTypes, Integer maxTasks, Long waitMs, Long leaseMs,
            String pollId) {
        this(workerId, taskTypes, maxTasks, waitMs, leaseMs, pollId, null);
    }
}
