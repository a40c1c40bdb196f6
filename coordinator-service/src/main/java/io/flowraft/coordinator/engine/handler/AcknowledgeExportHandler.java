package io.flowraft.coordinator.engine.handler;

import io.flowraft.coordinator.engine.CommandResult;
import io.flowraft.coordinator.engine.CommandResult.ExportPosition;
import io.flowraft.coordinator.engine.command.AcknowledgeExport;
import io.flowraft.coordinator.engine.event.Event;
import io.flowraft.coordinator.engine.state.EngineReadState;

/**
 * Moves the export position forward: history up to {@code throughIndex} is in PostgreSQL (or was let go when
 * the cluster runs without one). Never back, and never past this command's own index: nothing after it can have
 * been exported. Idempotent.
 */
final class AcknowledgeExportHandler implements CommandHandler<AcknowledgeExport> {

    @Override
    public CommandResult handle(AcknowledgeExport command, EngineReadState state, EventWriter events) {
        long through = Math.min(command.throughIndex(), events.index() - 1);
        if (through > state.exportedThrough()) {
            events.append(new Event.ExportAcknowledged(through));
        }
        return new ExportPosition(state.exportedThrough());
    }
}
