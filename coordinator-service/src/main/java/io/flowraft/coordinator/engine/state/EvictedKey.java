package io.flowraft.coordinator.engine.state;

/**
 * The idempotency key of a workflow that has left the state: until its retention passes, a repeat of the same
 * request still answers that workflow (read from history), and a different request under it is still a
 * conflict.
 *
 * @param createdAt when the workflow was submitted: the key expires its retention after that
 */
public record EvictedKey(String idempotencyKey, String workflowId, String fingerprint, long createdAt) {
}
