package io.flowraft.coordinator.history;

import java.util.List;

/**
 * One attempt of one task (attempt 0: a task that never ran, such as a skipped one). Keyed by workflow id, task
 * id and attempt: writing it again replaces it.
 *
 * @param position  the task's position in the DAG (views list tasks in this order)
 * @param status    a {@code TaskStatus} name: the attempt's outcome, or the task's status for its latest attempt
 * @param workerId  the worker that held the attempt's lease, or null
 * @param fencingToken the attempt's lease token, or 0
 * @param input     the rendered input as JSON text, or null
 * @param output    the output as JSON text (a completed attempt), or null
 * @param error     the error, skip or failure reason, or null
 * @param leasedAt  when the attempt's lease was granted, or 0
 * @param leaseExpiresAt the lease's last known expiry, or 0
 */
public record ExportedTask(String taskId, int position, String type, List<String> dependsOn, int attempt, String status,
        String workerId, long fencingToken, String input, String output, String error, long readyAt, long leasedAt,
        long leaseExpiresAt, long finishedAt) {

    public ExportedTask {
        dependsOn = List.copyOf(dependsOn);
    }
}
