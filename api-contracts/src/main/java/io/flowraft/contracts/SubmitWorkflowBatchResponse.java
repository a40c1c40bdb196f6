package io.flowraft.contracts;

import java.util.List;

/**
 * Answer to {@code POST /api/v1/workflows/batch} (200 whenever the request itself was well formed): one result
 * per submit, in the order sent. The answer is small on purpose: the ids, not the views; read a workflow, or wait
 * for many ends with {@code POST /api/v1/workflows/ends}.
 *
 * @param results each submit's own answer
 */
public record SubmitWorkflowBatchResponse(List<Result> results) {

    public SubmitWorkflowBatchResponse {
        results = Copies.orEmpty(results);
    }

    /**
     * What {@code POST /api/v1/workflows} would have answered for this submit.
     *
     * @param id the workflow's id when 201 or 200; {@code null} otherwise
     * @param status 201 a new workflow, 200 the workflow its idempotency key started before, or the problem's status
     *     (400/404/422 for this submit only; 429/503/504 to be sent again, under the same idempotency key)
     * @param problem why, when not 201 or 200; its {@code field} names the submit ({@code workflows[3].definition});
     *     {@code null} otherwise
     */
    public record Result(String id, int status, Problem problem) {
    }
}
