package io.flowraft.contracts;

import java.util.List;
import tools.jackson.databind.JsonNode;

/**
 * Body of {@code POST /api/v1/workflows}. Exactly one of {@code definition} and {@code tasks} is given;
 * otherwise the request is {@link ProblemType#INVALID_REQUEST}.
 *
 * @param definition the definition to start, {@code "orders"} for the latest version or {@code "orders@3"}
 *     (see {@link DefinitionRef}); {@code null} when {@code tasks} is given
 * @param tasks an inline DAG; {@code null} when {@code definition} is given. Kept {@code null} when absent
 *     (not turned into an empty list) so "both given" can be told apart from "definition only"
 * @param input the workflow input, visible to task inputs and conditions; absent or JSON {@code null} means none
 * @param idempotencyKey makes the submit safe to retry: the same key returns the same workflow (200) instead of
 *     starting another; the same key with a different request is {@link ProblemType#IDEMPOTENCY_CONFLICT}. May
 *     instead come in the {@value FlowRaftHttp#IDEMPOTENCY_KEY} header; if both are given they must be equal
 */
public record SubmitWorkflowRequest(String definition, List<TaskSpec> tasks, JsonNode input, String idempotencyKey) {

    public SubmitWorkflowRequest {
        tasks = Copies.orNull(tasks);
        input = Copies.absentIfNull(input);
    }
}
