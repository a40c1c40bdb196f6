package io.flowraft.coordinator.engine.handler;

import io.flowraft.contracts.ProblemType;
import io.flowraft.coordinator.engine.CommandResult;
import io.flowraft.coordinator.engine.CommandResult.LimitsSet;
import io.flowraft.coordinator.engine.CommandResult.Rejection;
import io.flowraft.coordinator.engine.EngineLimits;
import io.flowraft.coordinator.engine.command.ConfigureEngine;
import io.flowraft.coordinator.engine.event.Event;
import io.flowraft.coordinator.engine.model.Ids;
import io.flowraft.coordinator.engine.state.EngineReadState;

/**
 * Sets the engine limits. The first leader of a new cluster proposes its configured limits once
 * ({@code bootstrap}); such a proposal changes nothing when limits were set already, so every later leader's
 * bootstrap is a no-op and the cluster keeps one set of limits whoever leads. An admin change always applies,
 * from its entry on: what is already in the state stays (a lowered {@code maxPayloadBytes} does not touch
 * outputs already kept).
 */
final class ConfigureEngineHandler implements CommandHandler<ConfigureEngine> {

    @Override
    public CommandResult handle(ConfigureEngine command, EngineReadState state, EventWriter events) {
        boolean named = nameCluster(command, state, events);
        if (command.bootstrap() && state.limitsConfigured()) {
            return new LimitsSet(state.limits(), named);
        }
        EngineLimits limits = command.limits();
        Rejection invalid = check(limits);
        if (invalid != null) {
            return invalid;
        }
        boolean changed = named;
        if (command.retention() != null && !command.retention().equals(state.retention())) {
            events.append(new Event.RetentionConfigured(command.retention()));
            changed = true;
        }
        if (!state.limitsConfigured() || !limits.equals(state.limits())) {
            events.append(new Event.EngineConfigured(limits));
            changed = true;
        }
        return new LimitsSet(limits, changed);
    }

    /** The first name proposed is the cluster's for good: its history lives under it. */
    private static boolean nameCluster(ConfigureEngine command, EngineReadState state, EventWriter events) {
        if (state.clusterId() != null || command.clusterId() == null || !Ids.isValidId(command.clusterId())) {
            return false;
        }
        events.append(new Event.ClusterNamed(command.clusterId()));
        return true;
    }

    private static Rejection check(EngineLimits limits) {
        EngineLimits ceiling = EngineLimits.CEILING;
        Rejection rejection = atMost("maxTasks", limits.maxTasks(), ceiling.maxTasks());
        rejection = rejection != null ? rejection : atMost("maxPayloadBytes", limits.maxPayloadBytes(), ceiling.maxPayloadBytes());
        rejection = rejection != null ? rejection : atMost("maxDependencies", limits.maxDependencies(), ceiling.maxDependencies());
        rejection = rejection != null ? rejection : atMost("maxErrorBytes", limits.maxErrorBytes(), ceiling.maxErrorBytes());
        rejection = rejection != null ? rejection
                : atMost("maxTaskTypesPerPoll", limits.maxTaskTypesPerPoll(), ceiling.maxTaskTypesPerPoll());
        rejection = rejection != null ? rejection
                : atMost("maxLeasesPerPoll", limits.maxLeasesPerPoll(), ceiling.maxLeasesPerPoll());
        rejection = rejection != null ? rejection
                : atMost("maxWorkflowBytes", limits.maxWorkflowBytes(), ceiling.maxWorkflowBytes());
        rejection = rejection != null ? rejection : atMost("maxStateBytes", limits.maxStateBytes(), ceiling.maxStateBytes());
        if (rejection != null) {
            return rejection;
        }
        if (limits.maxWorkflowBytes() < 2L * limits.maxPayloadBytes()) {
            return Rejection.onField(ProblemType.INVALID_REQUEST, "maxWorkflowBytes", "maxWorkflowBytes must be at least "
                    + "twice maxPayloadBytes (" + 2L * limits.maxPayloadBytes() + "), was " + limits.maxWorkflowBytes()
                    + ": a workflow must hold its input and one task's input at least");
        }
        if (limits.maxStateBytes() < limits.maxWorkflowBytes()) {
            return Rejection.onField(ProblemType.INVALID_REQUEST, "maxStateBytes", "maxStateBytes must be at least "
                    + "maxWorkflowBytes (" + limits.maxWorkflowBytes() + "), was " + limits.maxStateBytes());
        }
        return null;
    }

    private static Rejection atMost(String field, long value, long ceiling) {
        return value <= ceiling ? null : Rejection.onField(ProblemType.INVALID_REQUEST, field,
                field + " may be at most " + ceiling + ", was " + value);
    }
}
