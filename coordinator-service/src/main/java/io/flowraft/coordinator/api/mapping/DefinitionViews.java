package io.flowraft.coordinator.api.mapping;

import io.flowraft.contracts.DefinitionView;
import io.flowraft.coordinator.engine.model.WorkflowDefinition;
import java.time.Instant;

/** Maps a registered definition to the wire. Definitions are immutable, so this may run outside the state lock. */
public final class DefinitionViews {

    private DefinitionViews() {
    }

    public static DefinitionView toView(WorkflowDefinition definition) {
        return new DefinitionView(definition.name(), definition.version(),
                definition.tasks().stream().map(TaskSpecMapper::toContract).toList(),
                Instant.ofEpochMilli(definition.registeredAt()));
    }
}
