package io.flowraft.contracts.client;

import io.flowraft.contracts.WorkflowStatus;
import java.time.Instant;

/**
 * The filters and page of {@code GET /api/v1/workflows}; every member is optional (null).
 *
 * @param status         one workflow status
 * @param definition     {@code name} (any version) or {@code name@version}
 * @param createdFrom    created at or after this instant
 * @param createdTo      created before this instant
 * @param idempotencyKey the workflow the key started
 * @param limit          page size, 1 to 500 (default 50)
 * @param cursor         the previous page's {@code nextCursor}
 */
public record WorkflowListQuery(WorkflowStatus status, String definition, Instant createdFrom, Instant createdTo,
        String idempotencyKey, Integer limit, String cursor) {

    /** All workflows, pages of {@code limit}. */
    public static WorkflowListQuery all(Integer limit) {
        return new WorkflowListQuery(null, null, null, null, null, limit, null);
    }

    /** The next page after {@code nextCursor}, with the same filters. */
    public WorkflowListQuery after(String nextCursor) {
        return new WorkflowListQuery(status, definition, createdFrom, createdTo, idempotencyKey, limit, nextCursor);
    }
}
