package io.flowraft.coordinator.engine.model;

/** At most {@code max} tasks that share {@code key} are leased at once, across all workflows. */
public record ConcurrencyLimit(String key, int max) {
}
