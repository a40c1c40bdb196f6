package io.flowraft.coordinator.engine.handler;

import io.flowraft.contracts.TaskStatus;
import io.flowraft.coordinator.engine.CommandResult;
import io.flowraft.coordinator.engine.CommandResult.TaskReported;
import io.flowraft.coordinator.engine.command.FailTask;
import io.flowraft.coordinator.engine.state.EngineReadState;
import io.flowraft.coordinator.engine.state.HistoryEntry;
import io.flowraft.coordinator.engine.state.TaskState;
import io.flowraft.coordinator.engine.validation.Payloads;
import java.util.List;

/**
 * Commits a failed attempt under its current lease: retried after the backoff while attempts remain and the
 * failure is retryable, failed for good otherwise. A repeat of a failure already committed under the same
 * lease is answered as the first one was ({@code duplicate=true}).
 */
final class FailTaskHandler implements CommandHandler<FailTask> {

    private final Progression progression;

    FailTaskHandler(Progression progression) {
        this.progression = progression;
    }

    @Override
    public CommandResult handle(FailTask command, EngineReadState state, EventWriter events) {
        String error = command.error() == null || command.error().isBlank() ? "no error message" : command.error();
        error = Payloads.truncate(error, state.limits().maxErrorBytes());
        return switch (LeaseLookup.find(command.leaseId(), command.principal(), state, command.now())) {
            case LeaseLookup.Rejected r -> r.rejection();
            case LeaseLookup.Current c -> {
                TaskState task = c.task();
                progression.failAttempt(task, c.lease().fencingToken(), error, command.retryable(), state.limits(), events);
                yield new TaskReported(command.leaseId(), task.workflow().id(), task.taskId(), task.status(), false);
            }
            case LeaseLookup.NotCurrent n -> {
                TaskStatus after = statusAfterEarlierFailure(n.task(), n.lease().fencingToken());
                yield after == null
                        ? LeaseLookup.stale("fail", n.task(), n.lease())
                        : new TaskReported(command.leaseId(), n.task().workflow().id(), n.task().taskId(), after, true);
            }
        };
    }

    /**
     * The status a failure reported under this lease left the task in, or null if no failure was reported
     * under it. A lease that expired ended without a report: its retry or failure was the scheduler's, so a
     * late report under it is stale, not a repeat.
     */
    private static TaskStatus statusAfterEarlierFailure(TaskState task, long fencingToken) {
        // Backwards from the newest line, stopping at the lease's grant: a duplicate report is usually of the
        // latest lease, so this reads a few lines rather than the whole history.
        List<HistoryEntry> history = task.workflow().history();
        TaskStatus after = null;
        for (int i = history.size() - 1; i >= 0; i--) {
            HistoryEntry entry = history.get(i);
            if (entry.fencingToken() != fencingToken || !task.taskId().equals(entry.taskId())) {
                continue;
            }
            switch (entry.kind()) {
                case LEASE_EXPIRED -> {
                    return null;
                }
                case TASK_RETRY_SCHEDULED -> after = after == null ? TaskStatus.READY : after;
                case TASK_FAILED -> after = after == null ? TaskStatus.FAILED : after;
                case TASK_LEASED -> {
                    return after;
                }
                default -> {
                }
            }
        }
        return after;
    }
}
