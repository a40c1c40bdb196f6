package io.flowraft.contracts;

/**
 * Body of {@code POST /api/v1/leases/{leaseId}/fail}. Idempotent like completion.
 *
 * @param error what went wrong, kept on the task and in history
 * @param retryable whether another attempt may succeed: {@code false} fails the task now whatever its retry
 *     policy; {@code null} means {@code true}
 * @param traceparent the W3C trace context of the worker's span that ran the task ({@link TraceParent}), or
 *     {@code null}
 */
public record FailTaskRequest(String error, Boolean retryable, String traceparent) {

    /** A failure without a trace context. */
    public FailTaskRequest(String error, Boolean retryable) {
        this(error, retryable, null);
    }

    /** Whether the failure allows a retry: the stated value, {@code true} if unstated. */
    public boolean retryAllowed() {
        return retryable == null || retryable;
    }
}
