package io.flowraft.coordinator.history;

import java.util.List;

/**
 * A workflow as history keeps it. Times are epoch milliseconds by the leader's clock; 0 means not set.
 *
 * @param definitionRef  {@code name@version}, or null for an inline DAG
 * @param status         a {@code WorkflowStatus} name
 * @param input          the workflow input as JSON text
 * @param tasks          when written: every attempt of every task ({@link ExportedTask#attempt()} 0 for a task that
 *                       never ran); when read: each task at its latest attempt, in DAG order
 * @param history        when written: the lines of the batch's range; when read: empty (see
 *                       {@link HistoryStore#history})
 */
public record ExportedWorkflow(String id, String definitionRef, String status, String input, String idempotencyKey,
        long createdAt, long finishedAt, String traceId, List<ExportedTask> tasks, List<ExportedHistoryLine> history) {

    public ExportedWorkflow {
        tasks = List.copyOf(tasks);
        history = List.copyOf(history);
    }
}
