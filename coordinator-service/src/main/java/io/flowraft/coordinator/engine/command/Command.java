package io.flowraft.coordinator.engine.command;

/**
 * Everything that can change the replicated state. The leader stamps {@code now} (its wall clock, epoch
 * milliseconds) and any generated id into a command before proposing it; applying a command reads nothing
 * else, so every replica computes the same result. Commands are serialized by {@link CommandCodec}.
 */
public sealed interface Command
        permits ConfigureEngine, RegisterDefinition, SubmitWorkflow, LeaseTasks, CompleteTask, FailTask, Heartbeat,
        ExpireLeases, CancelWorkflow, AcknowledgeExport, ApplyRetention, ConfigureTaskType {

    /** The leader's clock when it proposed this command, in epoch milliseconds. */
    long now();
}
