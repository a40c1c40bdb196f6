package io.flowraft.contracts;

import tools.jackson.databind.JsonNode;

/**
 * Body of {@code POST /api/v1/leases/{leaseId}/complete}. Idempotent: the same report under the same lease again
 * answers 200 with {@code duplicate = true}; a different output under the same lease is
 * {@link ProblemType#REPORT_CONFLICT}.
 *
 * @param output the task's result, visible to downstream inputs and conditions; absent or JSON {@code null}
 *     means none
 */
public record CompleteTaskRequest(JsonNode output) {

    public CompleteTaskRequest {
        output = Copies.absentIfNull(output);
    }
}
