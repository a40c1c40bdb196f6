package io.flowraft.coordinator.engine.command;

import io.flowraft.coordinator.engine.EngineLimits;
import io.flowraft.coordinator.engine.Retention;

/**
 * Sets the limits every later command is judged by, and the retention. A new cluster's first leader proposes
 * the settings it was configured with ({@code bootstrap}); that proposal does nothing once limits were set, so
 * only the first one counts, whichever node made it, except that it names the cluster if no earlier one did. An
 * admin's change ({@code bootstrap = false}) always applies.
 *
 * @param retention null to keep the retention in force
 * @param clusterId the name the first leader gives the cluster (its history lives under it); null for none
 */
public record ConfigureEngine(long now, EngineLimits limits, Retention retention, String clusterId, boolean bootstrap)
        implements Command {

    /** Limits only, as written before retention and cluster names existed. */
    public ConfigureEngine(long now, EngineLimits limits, boolean bootstrap) {
        this(now, limits, null, null, bootstrap);
    }
}
