package io.flowraft.coordinator.engine.command;

/**
 * Proposed by the leader's exporter once history up to {@code throughIndex} is in PostgreSQL (or, without a
 * database, once it was let go): the export position moves there, so the next leader goes on from it and
 * finished workflows up to it may leave the state. Harmless to repeat; a position behind the current one, or
 * ahead of this command, changes nothing beyond what it can.
 */
public record AcknowledgeExport(long now, long throughIndex) implements Command {
}
