package io.flowraft.contracts;

import java.time.Instant;
import java.util.List;

/**
 * Answer to {@code POST /api/v1/workflows/ends}: those of the asked workflows that have ended, and those that
 * exist nowhere. An id in neither list still runs. Both lists empty means the wait passed with none ended.
 *
 * @param ended the asked workflows that are COMPLETED, FAILED or CANCELLED, in the order asked
 * @param notFound the asked ids of no workflow, live or in history, in the order asked (confirmed against the
 *     leader's committed state, so a workflow just submitted through another coordinator is never among them)
 */
public record WorkflowEndsResponse(List<Ended> ended, List<String> notFound) {

    public WorkflowEndsResponse {
        ended = Copies.orEmpty(ended);
        notFound = Copies.orEmpty(notFound);
    }

    /**
     * One workflow's end.
     *
     * @param id the workflow
     * @param status COMPLETED, FAILED or CANCELLED
     * @param finishedAt when it ended
     */
    public record Ended(String id, WorkflowStatus status, Instant finishedAt) {
    }
}
