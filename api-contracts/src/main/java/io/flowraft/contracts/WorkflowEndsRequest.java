package io.flowraft.contracts;

import java.util.List;

/**
 * Body of {@code POST /api/v1/workflows/ends}: waits for any of many workflows to end. A client with many
 * workflows in flight keeps their ids, asks with the ones it still waits for, and drops each id answered: a
 * stream of ends over one request at a time, instead of one waiting request per workflow.
 *
 * @param workflowIds 1 to {@value #MAX_IDS} distinct workflow ids
 * @param waitMs how long to wait (0 to 60000; absent = 0, answer at once) while none of them has ended
 */
public record WorkflowEndsRequest(List<String> workflowIds, Long waitMs) {

    /** The most ids one request may name. */
    public static final int MAX_IDS = 1_000;

    public WorkflowEndsRequest {
        workflowIds = Copies.orEmpty(workflowIds);
    }
}
