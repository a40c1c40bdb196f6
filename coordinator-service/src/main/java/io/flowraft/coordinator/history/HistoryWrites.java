package io.flowraft.coordinator.history;

import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Types;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The statements of one export batch, sent as JDBC batches: workflows and task attempts upserted, history lines
 * inserted once.
 *
 * <p>An upsert replaces a row only if the batch was captured at the same or a later applied index than the batch
 * that wrote it ({@code exported_through}): a deposed leader's late batch then changes nothing, and a batch
 * written again replaces rows with what they already hold.
 */
final class HistoryWrites {

    /** Rows per round trip. */
    private static final int CHUNK = 1_000;

    private static final List<String> WORKFLOW_COLUMNS = List.of("id", "definition_name", "definition_version",
            "definition_ref", "status", "input", "idempotency_key", "created_at", "finished_at", "trace_id",
            "exported_through");
    private static final List<String> TASK_COLUMNS = List.of("workflow_id", "task_id", "attempt", "position", "type",
            "depends_on", "status", "worker_id", "fencing_token", "input", "output", "error", "ready_at", "leased_at",
            "lease_expires_at", "finished_at", "exported_through");

    private final String upsertWorkflow;
    private final String upsertTask;
    private final String insertLine;

    HistoryWrites(String schema) {
        upsertWorkflow = guardedUpsert(schema + ".workflows", WORKFLOW_COLUMNS, List.of("id"));
        upsertTask = guardedUpsert(schema + ".tasks", TASK_COLUMNS, List.of("workflow_id", "task_id", "attempt"));
        insertLine = "INSERT INTO " + schema + ".history (workflow_id, seq, log_index, kind, task_id, attempt,"
                + " fencing_token, at, detail) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (workflow_id, seq) DO NOTHING";
    }

    private static String guardedUpsert(String table, List<String> columns, List<String> key) {
        List<String> updates = new ArrayList<>();
        for (String column : columns) {
            if (!key.contains(column)) {
                updates.add(column + " = EXCLUDED." + column);
            }
        }
        return "INSERT INTO " + table + " AS r (" + String.join(", ", columns) + ") VALUES ("
                + String.join(", ", Collections.nCopies(columns.size(), "?")) + ") ON CONFLICT (" + String.join(", ", key)
                + ") DO UPDATE SET " + String.join(", ", updates)
                + " WHERE r.exported_through <= EXCLUDED.exported_through";
    }

    /** Runs the batch's statements on {@code jdbc}; the caller holds the transaction. */
    void write(JdbcTemplate jdbc, ExportBatch batch) {
        long through = batch.throughIndex();
        List<TaskOf> tasks = new ArrayList<>();
        List<ExportedHistoryLine> lines = new ArrayList<>();
        for (ExportedWorkflow workflow : batch.workflows()) {
            workflow.tasks().forEach(task -> tasks.add(new TaskOf(workflow.id(), task)));
            lines.addAll(workflow.history());
        }
        jdbc.batchUpdate(upsertWorkflow, batch.workflows(), CHUNK, (statement, workflow) -> setWorkflow(statement, workflow, through));
        jdbc.batchUpdate(upsertTask, tasks, CHUNK, (statement, task) -> setTask(statement, task, through));
        jdbc.batchUpdate(insertLine, lines, CHUNK, HistoryWrites::setLine);
    }

    private record TaskOf(String workflowId, ExportedTask task) {
    }

    private static void setWorkflow(PreparedStatement statement, ExportedWorkflow workflow, long through) throws SQLException {
        statement.setString(1, workflow.id());
        statement.setString(2, SqlValues.definitionName(workflow.definitionRef()));
        statement.setObject(3, SqlValues.definitionVersion(workflow.definitionRef()), Types.INTEGER);
        statement.setString(4, workflow.definitionRef());
        statement.setString(5, workflow.status());
        statement.setString(6, workflow.input());
        statement.setString(7, workflow.idempotencyKey());
        SqlValues.setTime(statement, 8, workflow.createdAt());
        SqlValues.setOptionalTime(statement, 9, workflow.finishedAt());
        statement.setString(10, workflow.traceId());
        statement.setLong(11, through);
    }

    private static void setTask(PreparedStatement statement, TaskOf row, long through) throws SQLException {
        ExportedTask task = row.task();
        statement.setString(1, row.workflowId());
        statement.setString(2, task.taskId());
        statement.setInt(3, task.attempt());
        statement.setInt(4, task.position());
        statement.setString(5, task.type());
        statement.setArray(6, statement.getConnection().createArrayOf("text", task.dependsOn().toArray()));
        statement.setString(7, task.status());
        statement.setString(8, task.workerId());
        statement.setLong(9, task.fencingToken());
        statement.setString(10, task.input());
        statement.setString(11, task.output());
        statement.setString(12, task.error());
        SqlValues.setOptionalTime(statement, 13, task.readyAt());
        SqlValues.setOptionalTime(statement, 14, task.leasedAt());
        SqlValues.setOptionalTime(statement, 15, task.leaseExpiresAt());
        SqlValues.setOptionalTime(statement, 16, task.finishedAt());
        statement.setLong(17, through);
    }

    private static void setLine(PreparedStatement statement, ExportedHistoryLine line) throws SQLException {
        statement.setString(1, line.workflowId());
        statement.setInt(2, line.seq());
        statement.setLong(3, line.logIndex());
        statement.setString(4, line.kind());
        statement.setString(5, line.taskId());
        statement.setInt(6, line.attempt());
        statement.setLong(7, line.fencingToken());
        SqlValues.setTime(statement, 8, line.at());
        statement.setString(9, line.detail());
    }
}
