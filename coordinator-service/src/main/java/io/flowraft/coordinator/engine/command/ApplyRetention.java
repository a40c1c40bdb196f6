package io.flowraft.coordinator.engine.command;

/**
 * Proposed by the leader's scheduler: evicts the finished workflows whose retention has passed by {@code now}
 * and whose history has been exported, expires idempotency keys past their retention, and drops poll records
 * none of whose leases is held any more. A bounded amount each time; the scheduler proposes again while more is
 * due. Harmless to repeat.
 */
public record ApplyRetention(long now) implements Command {
}
