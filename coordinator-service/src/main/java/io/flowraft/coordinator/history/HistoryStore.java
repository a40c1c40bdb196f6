package io.flowraft.coordinator.history;

import java.util.Collection;
import java.util.List;
import java.util.Optional;

/**
 * PostgreSQL's side of history: what the leader's exporter writes, and what the API reads for workflows that
 * are no longer in the replicated state. One cluster's history lives in one schema of its own.
 *
 * <p>Writes are idempotent: a batch written again (a new leader re-exporting from the committed export
 * position, a retry after a lost answer) changes nothing that is already there, and never duplicates a history
 * line. Implementations throw {@link HistoryUnavailableException} when PostgreSQL cannot be reached or fails;
 * the caller retries later.
 */
public interface HistoryStore {

    /** Writes one export batch in one transaction: the workflows' rows are upserted, history lines added once. */
    void write(ExportBatch batch);

    /** A workflow as last exported, its tasks at their latest attempt, or empty. */
    Optional<ExportedWorkflow> workflow(String workflowId);

    /** Every history line of a workflow, in log order (then {@code seq}), or empty if it was never exported. */
    List<ExportedHistoryLine> history(String workflowId);

    /** Exported workflows matching {@code query}, in workflow id order, at most {@code query.limit()}. */
    List<WorkflowSummaryRow> list(ListQuery query);

    /** Those of these workflows that were exported, in no particular order: one query for all of them. */
    List<WorkflowSummaryRow> summaries(Collection<String> workflowIds);

    /** Whether the store answers now (for health and metrics); never throws. */
    boolean reachable();
}
