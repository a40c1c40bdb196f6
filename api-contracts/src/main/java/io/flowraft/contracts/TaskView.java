package io.flowraft.contracts;

import java.time.Instant;
import java.util.List;
import tools.jackson.databind.JsonNode;

/**
 * One task of a workflow as it stands in committed state. Optional fields are {@code null} (and omitted) when
 * they do not apply to the task's status.
 *
 * @param id the task id, unique in its workflow
 * @param type the task type
 * @param status where the task stands
 * @param attempt the current attempt, or the last one once terminal; the first attempt is 1 and each retry
 *     adds one. Leases and history entries carry the same number
 * @param input the resolved input of the current attempt (references to the workflow input and upstream
 *     outputs filled in); {@code null} until the task is READY
 * @param output what the worker reported on completion; {@code null} unless COMPLETED with an output
 * @param error the last failure's message while the task is retried, or why it FAILED or was SKIPPED; cleared when
 *     the task completes (every failure stays in the workflow's history)
 * @param dependsOn ids of the tasks this one waits for; never {@code null}
 * @param readyAt when the task may next be leased: when it became READY, or during a retry backoff the end of
 *     the backoff (so possibly in the future); {@code null} while PENDING
 * @param leaseId the lease held on the task; {@code null} unless LEASED
 * @param workerId the worker holding that lease; {@code null} unless LEASED
 * @param leaseExpiresAt when that lease expires unless extended by a heartbeat; {@code null} unless LEASED
 * @param finishedAt when the task became terminal; {@code null} until then
 */
public record TaskView(
        String id,
        String type,
        TaskStatus status,
        int attempt,
        JsonNode input,
        JsonNode output,
        String error,
        List<String> dependsOn,
        Instant readyAt,
        String leaseId,
        String workerId,
        Instant leaseExpiresAt,
        Instant finishedAt) {

    public TaskView {
        input = Copies.absentIfNull(input);
        output = Copies.absentIfNull(output);
        dependsOn = Copies.orEmpty(dependsOn);
    }
}
