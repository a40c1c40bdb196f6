package io.flowraft.coordinator.engine.command;

import io.flowraft.coordinator.engine.model.RateLimit;

/**
 * Sets (an admin's change) the settings of one task type: today its dispatch rate limit. Setting the same settings
 * again changes nothing; {@code rateLimit = null} removes the type's settings, and its tasks are leased without a
 * rate limit again.
 *
 * @param type      the task type, as tasks name it
 * @param rateLimit the dispatch rate, or null for none
 */
public record ConfigureTaskType(long now, String type, RateLimit rateLimit) implements Command {
}
