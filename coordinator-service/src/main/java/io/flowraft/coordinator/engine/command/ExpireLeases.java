package io.flowraft.coordinator.engine.command;

/**
 * Proposed by the leader's scheduler: every lease whose expiry is at or before {@code now} ends, and its task
 * is retried or fails. Does nothing when no lease is due, so a duplicate proposal is harmless.
 */
public record ExpireLeases(long now) implements Command {
}
