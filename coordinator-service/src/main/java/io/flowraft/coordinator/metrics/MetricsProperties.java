package io.flowraft.coordinator.metrics;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Bounds on the labels of the workflow and task metrics ({@code flowraft.metrics.*}; docs/METRICS.md): past them,
 * further task types or definitions are counted under {@code other}.
 *
 * @param maxTaskTypes   distinct task types that get a {@code type} label of their own, first come
 * @param maxDefinitions distinct definition names that get a {@code definition} label of their own, first come
 */
@Validated
@ConfigurationProperties("flowraft.metrics")
public record MetricsProperties(
        @DefaultValue("100") @Min(1) @Max(10_000) int maxTaskTypes,
        @DefaultValue("100") @Min(1) @Max(10_000) int maxDefinitions) {
}
