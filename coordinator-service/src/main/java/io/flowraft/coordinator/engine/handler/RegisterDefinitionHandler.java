package io.flowraft.coordinator.engine.handler;

import io.flowraft.contracts.ProblemType;
import io.flowraft.coordinator.engine.CommandResult;
import io.flowraft.coordinator.engine.CommandResult.DefinitionRegistered;
import io.flowraft.coordinator.engine.CommandResult.Rejection;
import io.flowraft.coordinator.engine.command.RegisterDefinition;
import io.flowraft.coordinator.engine.event.Event;
import io.flowraft.coordinator.engine.model.Ids;
import io.flowraft.coordinator.engine.model.WorkflowDefinition;
import io.flowraft.coordinator.engine.state.EngineReadState;
import io.flowraft.coordinator.engine.state.EngineReadState.RegisteredDefinition;
import io.flowraft.coordinator.engine.validation.DagValidator;

/**
 * Registers an immutable definition version. The same content under an existing version is a no-op
 * (answered {@code created=false}); other content under it is a conflict. Version 0 means "next": it
 * returns the latest version when the content is the same, else registers latest + 1.
 */
final class RegisterDefinitionHandler implements CommandHandler<RegisterDefinition> {

    private final DagValidator validator;

    RegisterDefinitionHandler(DagValidator validator) {
        this.validator = validator;
    }

    @Override
    public CommandResult handle(RegisterDefinition command, EngineReadState state, EventWriter events) {
        if (!Ids.isValidId(command.name())) {
            return Rejection.onField(ProblemType.INVALID_REQUEST, "name",
                    "Definition name must match " + Ids.ID_RULE + ", was '" + command.name() + "'");
        }
        if (command.version() < 0) {
            return Rejection.onField(ProblemType.INVALID_REQUEST, "version",
                    "Definition version must be >= 1 (or absent for the next one), was " + command.version());
        }
        DagValidator.Result validation = validator.validate(command.tasks(), state.limits());
        if (!validation.isValid()) {
            return validation.rejection();
        }
        RegisteredDefinition latest = state.latestDefinition(command.name());
        int version = command.version();
        if (version == 0) {
            if (latest != null && latest.definition().tasks().equals(command.tasks())) {
                return new DefinitionRegistered(command.name(), latest.definition().version(), false);
            }
            version = latest == null ? 1 : latest.definition().version() + 1;
        } else {
            RegisteredDefinition existing = state.definition(command.name(), version);
            if (existing != null) {
                if (existing.definition().tasks().equals(command.tasks())) {
                    return new DefinitionRegistered(command.name(), version, false);
                }
                return Rejection.onField(ProblemType.DEFINITION_CONFLICT, "version",
                        "Definition '" + command.name() + "' version " + version
                                + " is already registered with other content; versions are immutable, register a new one");
            }
        }
        WorkflowDefinition definition = new WorkflowDefinition(command.name(), version, command.tasks(), command.now());
        events.append(new Event.DefinitionRegistered(definition, validation.plan()));
        Rejection full = StateBudget.check(state, command.now());
        if (full != null) {
            return full;
        }
        return new DefinitionRegistered(command.name(), version, true);
    }
}
