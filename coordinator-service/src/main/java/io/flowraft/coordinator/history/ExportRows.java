package io.flowraft.coordinator.history;

import io.flowraft.coordinator.engine.state.HistoryEntry;
import io.flowraft.coordinator.engine.state.HistoryKind;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

/**
 * Turns a capture into the rows history keeps: the workflow, one row per attempt of each task its new lines
 * touch (the latest attempt from the task as it stands, earlier ones from their history lines), and the new
 * lines. Pure: the same capture gives the same batch.
 */
final class ExportRows {

    private ExportRows() {
    }

    static ExportBatch of(ExportCapture capture) {
        List<ExportedWorkflow> workflows = new ArrayList<>(capture.workflows().size());
        for (ExportCapture.Workflow workflow : capture.workflows()) {
            workflows.add(workflow(workflow, capture.afterIndex()));
        }
        return new ExportBatch(capture.afterIndex(), capture.throughIndex(), workflows);
    }

    private static ExportedWorkflow workflow(ExportCapture.Workflow w, long after) {
        List<ExportedHistoryLine> lines = new ArrayList<>();
        List<HistoryEntry> history = w.history();
        for (int seq = 0; seq < history.size(); seq++) {
            HistoryEntry line = history.get(seq);
            if (line.index() > after) {
                lines.add(new ExportedHistoryLine(w.id(), seq, line.index(), line.kind().wireName(), line.taskId(),
                        line.attempt(), line.fencingToken(), line.at(), line.detail()));
            }
        }
        List<ExportedTask> tasks = new ArrayList<>();
        for (ExportCapture.Task task : w.tasks()) {
            TreeSet<Integer> touched = new TreeSet<>();
            for (ExportedHistoryLine line : lines) {
                if (task.taskId().equals(line.taskId()) && line.attempt() > 0 && line.attempt() < task.attempt()) {
                    touched.add(line.attempt());
                }
            }
            for (int attempt : touched) {
                tasks.add(pastAttempt(task, attempt, history));
            }
            tasks.add(latest(task, history));
        }
        return new ExportedWorkflow(w.id(), w.definitionRef(), w.status(), w.input(), w.idempotencyKey(),
                w.createdAt(), w.finishedAt(), w.traceId(), tasks, lines);
    }

    /** The task's current attempt, as it stands. */
    private static ExportedTask latest(ExportCapture.Task t, List<HistoryEntry> history) {
        HistoryEntry leased = line(history, t.taskId(), t.attempt(), HistoryKind.TASK_LEASED);
        return new ExportedTask(t.taskId(), t.position(), t.type(), t.dependsOn(), t.attempt(), t.status(),
                t.attempt() == 0 ? null : t.workerId(), t.attempt() == 0 ? 0 : t.fencingToken(), t.input(), t.output(),
                t.error(), t.readyAt(), leased == null ? 0 : leased.at(), t.attempt() == 0 ? 0 : t.leaseExpiresAt(),
                t.finishedAt());
    }

    /** An attempt that failed or whose lease expired and was retried: all it left is in its history lines. */
    private static ExportedTask pastAttempt(ExportCapture.Task t, int attempt, List<HistoryEntry> history) {
        HistoryEntry leased = line(history, t.taskId(), attempt, HistoryKind.TASK_LEASED);
        HistoryEntry ended = null;
        for (HistoryEntry line : history) {
            if (t.taskId().equals(line.taskId()) && line.attempt() == attempt
                    && (line.kind() == HistoryKind.TASK_RETRY_SCHEDULED || line.kind() == HistoryKind.TASK_FAILED)) {
                ended = line;
            }
        }
        return new ExportedTask(t.taskId(), t.position(), t.type(), t.dependsOn(), attempt,
                ended == null ? "LEASED" : "FAILED", leased == null ? null : leased.detail(),
                leased == null ? 0 : leased.fencingToken(), t.input(), null, ended == null ? null : ended.detail(),
                t.readyAt(), leased == null ? 0 : leased.at(), 0, ended == null ? 0 : ended.at());
    }

    private static HistoryEntry line(List<HistoryEntry> history, String taskId, int attempt, HistoryKind kind) {
        for (int i = history.size() - 1; i >= 0; i--) {
            HistoryEntry line = history.get(i);
            if (line.kind() == kind && taskId.equals(line.taskId()) && line.attempt() == attempt) {
                return line;
            }
        }
        return null;
    }
}
