package io.flowraft.contracts;

import tools.jackson.databind.JsonNode;

/**
 * One report in {@code POST /api/v1/reports}: what a worker says about one lease, exactly as it would say it to
 * {@code /leases/{leaseId}/complete} or {@code /fail}, with the same idempotence.
 *
 * @param leaseId the lease reported under
 * @param outcome {@link Outcome#COMPLETED} or {@link Outcome#FAILED}
 * @param output for a completion: the task's result; absent or {@code null} means none
 * @param error for a failure: what went wrong
 * @param retryable for a failure: whether another attempt may succeed; {@code null} means {@code true}
 * @param traceparent the W3C trace context of the worker's span that ran the task ({@link TraceParent}), or
 *     {@code null}: the coordinator records the report in a child span of it. One that is not valid is ignored
 */
public record TaskReport(String leaseId, Outcome outcome, JsonNode output, String error, Boolean retryable,
        String traceparent) {

    public enum Outcome { COMPLETED, FAILED }

    public TaskReport {
        output = Copies.absentIfNull(output);
    }

    /** A report without a trace context. */
    public TaskReport(String leaseId, Outcome outcome, JsonNode output, String error, Boolean retryable) {
        this(leaseId, outcome, output, error, retryable, null);
    }

    public static TaskReport completed(String leaseId, JsonNode output) {
        return new TaskReport(leaseId, Outcome.COMPLETED, output, null, null);
    }

    public static TaskReport failed(String leaseId, String error, boolean retryable) {
        return new TaskReport(leaseId, Outcome.FAILED, null, error, retryable);
    }

    /** This report with the trace context of the span that produced it. */
    public TaskReport withTraceparent(String traceparent) {
        return new TaskReport(leaseId, outcome, output, error, retryable, traceparent);
    }
}
