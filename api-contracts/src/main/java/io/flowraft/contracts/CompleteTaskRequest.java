package io.flowraft.contracts;

import tools.jackson.databind.JsonNode;

/**
 * Body of {@code POST /api/v1/leases/{leaseId}/complete}. Idempotent: the same report under the same lease again
 * answers 200 with {@code duplicate = true}; a different output under the same lease is
 * {@link ProblemType#REPORT_CONFLICT}.
 *
 * @param output the task's result, visible to downstream inputs and conditions; absent or JSON {@code null}
 *     means none
 * @param traceparent the W3C trace context of the worker's span that ran the task ({@link TraceParent}), or
 *     {@code null}
 */
public record CompleteTaskRequest(JsonNode output, String traceparent) {

    public CompleteTaskRequest {
        output = Copies.absentIfNull(output);
    }

    /** A completion without a trace context. */
    public CompleteTaskRequest(JsonNode output) {
        this(output, null);
    }
}
