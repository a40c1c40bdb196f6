package io.flowraft.contracts;

/**
 * Body of {@code POST /api/v1/leases/{leaseId}/fail}. Idempotent like completion.
 *
 * @param error what went wrong, kept on the task and in history
 * @param retryable whether another attempt may succeed: {@code false} fails the task now whatever its retry
 *     policy; {@code null} means {@code true}
 */
public record FailTaskRequest(String error, Boolean retryable) {

    /** Whether the failure allows a retry: the stated value, {@code true} if unstated. */
    public boolean retryAllowed() {
        return retryable == null || retryable;
    }
}
