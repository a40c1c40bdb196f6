package io.flowraft.coordinator.history;

/**
 * A page of the workflow list, filtered. Every filter is optional (null).
 *
 * @param status          a {@code WorkflowStatus} name
 * @param definitionName  the definition's name
 * @param definitionVersion with {@code definitionName}: only this version
 * @param createdFrom     epoch ms, inclusive
 * @param createdTo       epoch ms, exclusive
 * @param afterId         workflow ids greater than this only (the cursor)
 * @param limit           at most this many, at least 1
 */
public record ListQuery(String status, String definitionName, Integer definitionVersion, Long createdFrom,
        Long createdTo, String idempotencyKey, String afterId, int limit) {
}
