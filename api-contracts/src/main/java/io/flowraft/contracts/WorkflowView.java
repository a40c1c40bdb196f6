package io.flowraft.contracts;

import java.time.Instant;
import java.util.List;
import tools.jackson.databind.JsonNode;

/**
 * A workflow and all its tasks, as answered by {@code GET /api/v1/workflows/{id}} and by a submit.
 *
 * @param id the workflow id, assigned by the server
 * @param definition the definition it was started from, always with its version ({@code "orders@3"}, see
 *     {@link DefinitionRef}); {@code null} for an inline DAG
 * @param status where the workflow stands
 * @param input the workflow input; {@code null} if none was given
 * @param tasks every task, in the order of the DAG as submitted; never {@code null}
 * @param createdAt when the submit was committed (the leader's clock)
 * @param finishedAt when the workflow became terminal; {@code null} while RUNNING
 * @param source where the view was read: {@value #LIVE} (the replicated state) or {@value #HISTORY}
 *     (PostgreSQL, for a finished workflow that has left the replicated state)
 * @param traceId the trace the workflow runs in (32 hex digits): that of the submit's {@code traceparent} header, or
 *     of the trace the submit started; {@code null} for a workflow submitted before traces were kept
 */
public record WorkflowView(
        String id,
        String definition,
        WorkflowStatus status,
        JsonNode input,
        List<TaskView> tasks,
        Instant createdAt,
        Instant finishedAt,
        String source,
        String traceId) {

    public static final String LIVE = "live";
    public static final String HISTORY = "history";

    public WorkflowView {
        input = Copies.absentIfNull(input);
        tasks = Copies.orEmpty(tasks);
    }

    /** A view without a trace id. */
    public WorkflowView(String id, String definition, WorkflowStatus status, JsonNode input, List<TaskView> tasks,
            Instant createdAt, Instant finishedAt, String source) {
        this(id, definition, status, input, tasks, createdAt, finishedAt, source, null);
    }

    /** A view read from the replicated state, without a trace id. */
    public WorkflowView(String id, String definition, WorkflowStatus status, JsonNode input, List<TaskView> tasks,
            Instant createdAt, Instant finishedAt) {
        this(id, definition, status, input, tasks, createdAt, finishedAt, LIVE, null);
    }
}
