package io.flowraft.contracts;

/**
 * One reason a RUNNING workflow makes no progress, in {@code GET /api/v1/workflows?stuck=true}.
 *
 * @param code a {@link StuckCode} wire name, such as {@code no-worker-polling}; a string so that a client meets
 *     codes added later without failing
 * @param taskId the task held up
 * @param taskType its type
 * @param detail what holds it, for people: wording may change, match on {@code code}
 */
public record StuckReason(String code, String taskId, String taskType, String detail) {
}
