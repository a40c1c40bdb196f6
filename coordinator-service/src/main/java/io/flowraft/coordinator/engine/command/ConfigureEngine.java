package io.flowraft.coordinator.engine.command;

import io.flowraft.coordinator.engine.EngineLimits;

/**
 * Sets the limits every later command is judged by. A new cluster's first leader proposes the limits it was
 * configured with ({@code bootstrap}); that proposal does nothing once limits were set, so only the first one
 * counts, whichever node made it. An admin's change ({@code bootstrap = false}) always applies.
 */
public record ConfigureEngine(long now, EngineLimits limits, boolean bootstrap) implements Command {
}
