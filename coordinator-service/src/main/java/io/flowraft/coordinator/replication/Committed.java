package io.flowraft.coordinator.replication;

import io.flowraft.coordinator.engine.CommandResult;

/**
 * A command's outcome once committed and applied: the engine's result, and the log index of the entry that
 * carried it, so the caller can read its own write on any node that has applied that index.
 *
 * @param index the entry's log index; 0 when unknown (an answer forwarded by a leader of an older version)
 */
public record Committed(CommandResult result, long index) {
}
