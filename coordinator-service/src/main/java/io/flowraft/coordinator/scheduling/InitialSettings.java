package io.flowraft.coordinator.scheduling;

import io.flowraft.coordinator.engine.EngineLimits;
import io.flowraft.coordinator.engine.Retention;

/** What this node proposes as the replicated settings if it is the first leader of a new cluster. */
public record InitialSettings(EngineLimits limits, Retention retention) {

    public static final InitialSettings DEFAULT = new InitialSettings(EngineLimits.DEFAULT, Retention.DEFAULT);
}
