package io.flowraft.coordinator.history;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;

/** The queries of one cluster's history schema, and how their rows become the port's records. */
final class HistoryReads {

    private static final String WORKFLOW_COLUMNS =
            "id, definition_ref, status, input, idempotency_key, created_at, finished_at, trace_id";
    private static final String TASK_COLUMNS = "task_id, position, type, depends_on, attempt, status, worker_id,"
            + " fencing_token, input, output, error, ready_at, leased_at, lease_expires_at, finished_at";
    private static final String LINE_COLUMNS =
            "workflow_id, seq, log_index, kind, task_id, attempt, fencing_token, at, detail";

    private final String schema;
    private final String workflowById;
    private final String latestAttempts;
    private final String linesOf;

    HistoryReads(String schema) {
        this.schema = schema;
        workflowById = "SELECT " + WORKFLOW_COLUMNS + " FROM " + schema + ".workflows WHERE id = ?";
        // Each task at its highest attempt, then in DAG order.
        latestAttempts = "SELECT * FROM (SELECT DISTINCT ON (task_id) " + TASK_COLUMNS + " FROM " + schema
                + ".tasks WHERE workflow_id = ? ORDER BY task_id, attempt DESC) latest ORDER BY position, task_id";
        // seq numbers a workflow's lines in log order.
        linesOf = "SELECT " + LINE_COLUMNS + " FROM " + schema + ".history WHERE workflow_id = ? ORDER BY seq";
    }

    /** The workflow and its latest attempts; the caller reads both in one snapshot. */
    Optional<ExportedWorkflow> workflow(JdbcClient jdbc, String workflowId) {
        List<ExportedTask> tasks = jdbc.sql(latestAttempts).param(workflowId).query((rs, n) -> task(rs)).list();
        return jdbc.sql(workflowById).param(workflowId).query((rs, n) -> workflow(rs, tasks)).optional();
    }

    List<ExportedHistoryLine> history(JdbcClient jdbc, String workflowId) {
        return jdbc.sql(linesOf).param(workflowId).query((rs, n) -> line(rs)).list();
    }

    List<WorkflowSummaryRow> summaries(JdbcClient jdbc, Collection<String> workflowIds) {
        return jdbc.sql("SELECT id, definition_ref, status, created_at, finished_at FROM " + schema
                        + ".workflows WHERE id IN (:ids)").param("ids", List.copyOf(workflowIds))
                .query((rs, n) -> summary(rs)).list();
    }

    List<WorkflowSummaryRow> list(JdbcClient jdbc, ListQuery query) {
        if (query.limit() < 1) {
            throw new IllegalArgumentException("A list limit is at least 1, not " + query.limit());
        }
        Map<String, Object> params = new LinkedHashMap<>();
        List<String> where = new ArrayList<>();
        filter(where, params, "status = :status", "status", query.status());
        filter(where, params, "definition_name = :name", "name", query.definitionName());
        filter(where, params, "definition_version = :version", "version", query.definitionVersion());
        filter(where, params, "created_at >= :createdFrom", "createdFrom",
                query.createdFrom() == null ? null : SqlValues.toTimestamp(query.createdFrom()));
        filter(where, params, "created_at < :createdTo", "createdTo",
                query.createdTo() == null ? null : SqlValues.toTimestamp(query.createdTo()));
        filter(where, params, "idempotency_key = :key", "key", query.idempotencyKey());
        filter(where, params, "id > :afterId", "afterId", query.afterId());
        String sql = "SELECT id, definition_ref, status, created_at, finished_at FROM " + schema + ".workflows"
                + (where.isEmpty() ? "" : " WHERE " + String.join(" AND ", where)) + " ORDER BY id LIMIT :limit";
        params.put("limit", query.limit());
        return jdbc.sql(sql).params(params).query((rs, n) -> summary(rs)).list();
    }

    private static WorkflowSummaryRow summary(ResultSet rs) throws SQLException {
        return new WorkflowSummaryRow(rs.getString("id"), rs.getString("definition_ref"), rs.getString("status"),
                SqlValues.time(rs, "created_at"), SqlValues.time(rs, "finished_at"));
    }

    private static void filter(List<String> where, Map<String, Object> params, String condition, String name, Object value) {
        if (value != null) {
            where.add(condition);
            params.put(name, value);
        }
    }

    private static ExportedWorkflow workflow(ResultSet rs, List<ExportedTask> tasks) throws SQLException {
        return new ExportedWorkflow(rs.getString("id"), rs.getString("definition_ref"), rs.getString("status"),
                rs.getString("input"), rs.getString("idempotency_key"), SqlValues.time(rs, "created_at"),
                SqlValues.time(rs, "finished_at"), rs.getString("trace_id"), tasks, List.of());
    }

    private static ExportedTask task(ResultSet rs) throws SQLException {
        String[] dependsOn = (String[]) rs.getArray("depends_on").getArray();
        return new ExportedTask(rs.getString("task_id"), rs.getInt("position"), rs.getString("type"),
                Arrays.asList(dependsOn), rs.getInt("attempt"), rs.getString("status"), rs.getString("worker_id"),
                rs.getLong("fencing_token"), rs.getString("input"), rs.getString("output"), rs.getString("error"),
                SqlValues.time(rs, "ready_at"), SqlValues.time(rs, "leased_at"),
                SqlValues.time(rs, "lease_expires_at"), SqlValues.time(rs, "finished_at"));
    }

    private static ExportedHistoryLine line(ResultSet rs) throws SQLException {
        return new ExportedHistoryLine(rs.getString("workflow_id"), rs.getInt("seq"), rs.getLong("log_index"),
                rs.getString("kind"), rs.getString("task_id"), rs.getInt("attempt"), rs.getLong("fencing_token"),
                SqlValues.time(rs, "at"), rs.getString("detail"));
    }
}
