package io.flowraft.contracts;

import java.time.Instant;
import tools.jackson.databind.JsonNode;

/**
 * A granted lease: the right to run one attempt of one task until {@code leaseExpiresAt}. Only the holder of
 * the current lease can complete or fail the task; a report under an expired, revoked or superseded lease is
 * {@link ProblemType#STALE_LEASE}.
 *
 * @param leaseId identifies the lease in heartbeat and report URLs; opaque to clients (it carries the fencing
 *     token, the log index that granted the lease)
 * @param workflowId the workflow of the task
 * @param taskId the task to run
 * @param type the task type, to pick the handler
 * @param attempt which attempt this is, starting at 1
 * @param input the resolved task input; {@code null} if none
 * @param idempotencyKey stable across attempts ({@code workflowId/taskId}, see {@link #idempotencyKeyFor}), so
 *     a handler can deduplicate side effects of a task that runs more than once
 * @param leaseExpiresAt when the lease expires unless a heartbeat extends it, by the leader's clock
 * @param leaseRemainingMs how long the lease had left when it was granted, in milliseconds: a worker times its
 *     heartbeats and its deadline on its own monotonic clock from when the lease arrived, since its wall clock
 *     need not agree with the leader's. {@code null} from a server that does not send it
 * @param traceparent the workflow's W3C trace context ({@link TraceParent}): the worker runs the task in a span of
 *     that trace and sends it back with its report. {@code null} for a workflow without one, or from a server that
 *     does not send it
 */
public record Lease(String leaseId, String workflowId, String taskId, String type, int attempt, JsonNode input,
        String idempotencyKey, Instant leaseExpiresAt, Long leaseRemainingMs, String traceparent) {

    public Lease {
        input = Copies.absentIfNull(input);
    }

    /** A lease without a trace context. */
    public Lease(String leaseId, String workflowId, String taskId, String type, int attempt, JsonNode input,
            String idempotencyKey, Instant leaseExpiresAt, Long leaseRemainingMs) {
        this(leaseId, workflowId, taskId, type, attempt, input, idempotencyKey, leaseExpiresAt, leaseRemainingMs, null);
    }

    /** A lease without its remaining time (as an older server sends it). */
    public Lease(String leaseId, String workflowId, String taskId, String type, int attempt, JsonNode input,
            String idempotencyKey, Instant leaseExpiresAt) {
        this(leaseId, workflowId, taskId, type, attempt, input, idempotencyKey, leaseExpiresAt, null, null);
    }

    /** The idempotency key of every attempt of a task: {@code workflowId + "/" + taskId}. */
    public static String idempotencyKeyFor(String workflowId, String taskId) {
        return workflowId + "/" + taskId;
    }
}
