package io.flowraft.coordinator.raft;

import io.flowraft.coordinator.engine.EngineLimits;
import jakarta.validation.constraints.Min;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * The engine's limits ({@code flowraft.engine.*}). They are part of the replicated logic: every coordinator
 * of a cluster must use the same values.
 */
@Validated
@ConfigurationProperties("flowraft.engine")
public record EngineProperties(
        @DefaultValue("1000") @Min(1) int maxTasks,
        @DefaultValue("262144") @Min(2) int maxPayloadBytes,
        @DefaultValue("64") @Min(1) int maxDependencies,
        @DefaultValue("4096") @Min(16) int maxErrorBytes,
        @DefaultValue("32") @Min(1) int maxTaskTypesPerPoll,
        @DefaultValue("1000") @Min(1) int maxLeasesPerPoll) {

    public EngineLimits limits() {
        return new EngineLimits(maxTasks, maxPayloadBytes, maxDependencies, maxErrorBytes, maxTaskTypesPerPoll,
                maxLeasesPerPoll);
    }
}
