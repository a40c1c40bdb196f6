package io.flowraft.coordinator.engine.expression;

/**
 * What a condition can see of one upstream task, as {@code tasks.<id>} in CEL.
 *
 * @param status     the task's status name, for example {@code "COMPLETED"} or {@code "SKIPPED"}
 * @param outputJson the task's output as JSON text, or null when it has none (seen as CEL {@code null})
 * @param attempt    the task's attempt number
 */
public record UpstreamTask(String status, String outputJson, int attempt) {
}
