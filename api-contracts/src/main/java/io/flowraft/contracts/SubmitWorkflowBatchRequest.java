package io.flowraft.contracts;

import java.util.List;

/**
 * Body of {@code POST /api/v1/workflows/batch}: many submits in one request, each the body
 * {@code POST /api/v1/workflows} would take and each answered on its own (see {@link SubmitWorkflowBatchResponse}).
 * A client that starts many workflows sends them together: one HTTP request, and usually one Raft entry, for all.
 *
 * @param workflows 1 to {@value #MAX_WORKFLOWS} submits, proposed in this order. Give each an
 *     {@code idempotencyKey}: a batch whose answer was lost is then sent again as it was, and every workflow it
 *     started answers 200 instead of starting twice
 */
public record SubmitWorkflowBatchRequest(List<SubmitWorkflowRequest> workflows) {

    /** The most submits one request may carry. */
    public static final int MAX_WORKFLOWS = 500;

    public SubmitWorkflowBatchRequest {
        workflows = Copies.orEmpty(workflows);
    }
}
