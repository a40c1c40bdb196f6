package io.flowraft.coordinator.engine.handler;

import io.flowraft.coordinator.engine.CommandResult;
import io.flowraft.coordinator.engine.command.Command;
import io.flowraft.coordinator.engine.state.EngineReadState;

/**
 * Decides what one kind of command does. A handler validates against read-only state and either returns a
 * rejection having written nothing, or writes events and returns the reply. It must not throw on any
 * input a client can send, and must write no event before it is sure the command is accepted.
 */
@FunctionalInterface
public interface CommandHandler<C extends Command> {

    CommandResult handle(C command, EngineReadState state, EventWriter events);
}
