package io.flowraft.coordinator.history;

import java.util.List;

/** Export records for tests, every field set to something that a wrong mapping would not preserve. */
final class HistoryRecords {

    static final long T0 = 1_760_000_000_123L;

    private HistoryRecords() {
    }

    /** A finished attempt (attempt 0: a task that never ran, its times and lease unset). */
    static ExportedTask task(String taskId, int position, int attempt, String status, String... dependsOn) {
        if (attempt == 0) {
            return new ExportedTask(taskId, position, "type-" + taskId, List.of(dependsOn), 0, status, null, 0, null,
                    null, null, 0, 0, 0, 0);
        }
        long at = T0 + attempt * 1_000L + position;
        return new ExportedTask(taskId, position, "type-" + taskId, List.of(dependsOn), attempt, status,
                "worker-" + attempt, 100L + attempt, "{\"z\": 1, \"a\": " + attempt + "}",
                status.equals("COMPLETED") ? "{\"ok\": true}" : null, status.equals("FAILED") ? "boom " + attempt : null,
                at, at + 10, at + 30_000, at + 20);
    }

    static ExportedHistoryLine line(String workflowId, int seq, long logIndex, String kind, String taskId) {
        return new ExportedHistoryLine(workflowId, seq, logIndex, kind, taskId, taskId == null ? 0 : 1,
                taskId == null ? 0 : 101, T0 + seq, "{\"seq\": " + seq + "}");
    }

    static ExportedWorkflow workflow(String id, String definitionRef, String status, long createdAt,
            List<ExportedTask> tasks, List<ExportedHistoryLine> lines) {
        return new ExportedWorkflow(id, definitionRef, status, "{\"b\": 2, \"a\": [1, {\"y\": 0, \"x\": 0}]}",
                "key-" + id, createdAt, status.equals("RUNNING") ? 0 : createdAt + 5_000, "trace-" + id, tasks, lines);
    }

    /** A workflow with no tasks and no lines. */
    static ExportedWorkflow bare(String id, String definitionRef, String status, long createdAt) {
        return workflow(id, definitionRef, status, createdAt, List.of(), List.of());
    }

    static ExportBatch batch(long after, long through, ExportedWorkflow... workflows) {
        return new ExportBatch(after, through, List.of(workflows));
    }

    /** The workflow as the store reads it back: tasks given (latest attempts), no history. */
    static ExportedWorkflow asRead(ExportedWorkflow written, ExportedTask... latest) {
        return new ExportedWorkflow(written.id(), written.definitionRef(), written.status(), written.input(),
                written.idempotencyKey(), written.createdAt(), written.finishedAt(), written.traceId(), List.of(latest),
                List.of());
    }
}
