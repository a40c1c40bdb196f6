package io.flowraft.contracts;

import java.time.Instant;

/**
 * One committed transition of a workflow or one of its tasks.
 *
 * @param index the Raft log index of the entry that committed it. Not unique: one log entry may carry several
 *     commands, and one command several transitions; entries sharing an index are listed in the order they
 *     were applied
 * @param at the leader's clock stamped into the command that caused it
 * @param kind what happened, as an event name in the past tense ({@code WorkflowSubmitted}, {@code LeaseGranted},
 *     {@code TaskCompleted}, ...). Clients must tolerate kinds they do not know: new ones may be added
 * @param taskId the task concerned; {@code null} for workflow-level transitions
 * @param attempt the task attempt concerned; {@code null} if none
 * @param leaseId the lease concerned; {@code null} if none
 * @param detail a human-readable addition (an error message, a cancel reason); {@code null} if none. Not for
 *     parsing
 */
public record HistoryEntry(long index, Instant at, String kind, String taskId, Integer attempt, String leaseId,
        String detail) {
}
