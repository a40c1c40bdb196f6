package io.flowraft.coordinator.engine.handler;

import io.flowraft.contracts.ProblemType;
import io.flowraft.coordinator.engine.CommandResult;
import io.flowraft.coordinator.engine.CommandResult.Rejection;
import io.flowraft.coordinator.engine.CommandResult.TaskTypeConfigured;
import io.flowraft.coordinator.engine.command.ConfigureTaskType;
import io.flowraft.coordinator.engine.event.Event;
import io.flowraft.coordinator.engine.model.Ids;
import io.flowraft.coordinator.engine.model.RateLimit;
import io.flowraft.coordinator.engine.state.EngineReadState;
import io.flowraft.coordinator.engine.state.TaskTypeSettings;

/**
 * Sets or removes a task type's dispatch rate limit. A new limit starts with a full bucket (one second's worth);
 * a changed one keeps what the bucket holds at the command's stamp, up to the new capacity, so re-setting a limit
 * cannot be used to burst past it. At most {@value #MAX_TASK_TYPES} types have settings: the settings are
 * replicated state, and every poll of a type reads them.
 */
final class ConfigureTaskTypeHandler implements CommandHandler<ConfigureTaskType> {

    static final int MAX_TASK_TYPES = 10_000;

    @Override
    public CommandResult handle(ConfigureTaskType command, EngineReadState state, EventWriter events) {
        if (!Ids.isValidId(command.type())) {
            return Rejection.onField(ProblemType.INVALID_REQUEST, "type", "Task type must match " + Ids.ID_RULE);
        }
        RateLimit limit = command.rateLimit();
        if (limit != null && !RateLimit.isValid(limit.milliPerSecond())) {
            return Rejection.onField(ProblemType.INVALID_REQUEST, "rateLimit.perSecond",
                    "rateLimit.perSecond must be between 0.001 and 1000000, was " + limit.perSecondText());
        }
        TaskTypeSettings current = state.taskType(command.type());
        long now = command.now();
        if (limit == null) {
            if (current == null) {
                return new TaskTypeConfigured(command.type(), null, false);
            }
            events.append(new Event.TaskTypeConfigured(command.type(), null, 0, now));
            return new TaskTypeConfigured(command.type(), null, true);
        }
        if (current == null) {
            if (state.taskTypes().size() >= MAX_TASK_TYPES) {
                return Rejection.onField(ProblemType.LIMIT_EXCEEDED, "type", "At most " + MAX_TASK_TYPES
                        + " task types may have settings; remove the rate limit of a type no longer used first");
            }
            events.append(new Event.TaskTypeConfigured(command.type(), limit, limit.capacity(), now));
            Rejection full = StateBudget.check(state, now);
            return full != null ? full : new TaskTypeConfigured(command.type(), limit, true);
        }
        if (current.rateLimit().equals(limit)) {
            return new TaskTypeConfigured(command.type(), limit, false);
        }
        long at = Math.max(now, current.refilledAt());
        long tokens = Math.min(current.tokensAt(at), limit.capacity());
        events.append(new Event.TaskTypeConfigured(command.type(), limit, tokens, at));
        return new TaskTypeConfigured(command.type(), limit, true);
    }
}
