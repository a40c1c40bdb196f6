package io.flowraft.contracts;

import java.util.List;

/**
 * One page of {@code GET /api/v1/workflows?status=&definition=&limit=&cursor=} (and of {@code ?stuck=true}).
 *
 * @param items the workflows of this page, in a stable order; never {@code null}, may be empty
 * @param nextCursor opaque; pass it as {@code cursor} to get the next page. {@code null} on the last page.
 *     Clients must not parse or build cursors
 */
public record WorkflowPage(List<WorkflowSummary> items, String nextCursor) {

    public WorkflowPage {
        items = Copies.orEmpty(items);
    }
}
